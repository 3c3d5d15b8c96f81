import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.DeadLetterPolicy;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.api.TypedMessageBuilder;

/**
 * The official Java client as a test peer for Gyre's TypeScript client. One JVM serves a whole test
 * file: it reads one JSON request per line on stdin and answers each with one line on stdout prefixed
 * by "@@peer " (the client's own logging may also reach stdout). Operations: produce, consume,
 * reconsume and messageId.
 */
public final class JavaPeer {
  private static final String PREFIX = "@@peer ";
  private static final Gson GSON = new Gson();

  public static void main(String[] args) throws Exception {
    PulsarClient client =
        PulsarClient.builder().serviceUrl(args[0]).operationTimeout(30, TimeUnit.SECONDS).build();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println(PREFIX + "{\"ready\":true}");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      JsonObject request = GSON.fromJson(line, JsonObject.class);
      JsonObject reply = new JsonObject();
      reply.add("id", request.get("id"));
      try {
        String op = request.get("op").getAsString();
        if (op.equals("exit")) break;
        reply.add("result", run(client, op, request));
      } catch (Exception error) {
        reply.addProperty("error", error.toString());
      }
      System.out.println(PREFIX + GSON.toJson(reply));
      System.out.flush();
    }
    client.close();
  }

  private static JsonElement run(PulsarClient client, String op, JsonObject request) throws Exception {
    switch (op) {
      case "produce":
        return produce(client, request);
      case "consume":
        return consume(client, request);
      case "reconsume":
        return reconsume(client, request);
      case "messageId":
        return describe(MessageId.fromByteArray(bytes(request, "bytes")));
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** Sends every message asynchronously (so batches fill), flushes, and returns their ids in order. */
  private static JsonElement produce(PulsarClient client, JsonObject request) throws Exception {
    boolean batching = request.get("batching").getAsBoolean();
    Producer<byte[]> producer =
        client
            .newProducer()
            .topic(request.get("topic").getAsString())
            .compressionType(CompressionType.valueOf(request.get("compression").getAsString()))
            .enableBatching(batching)
            .batchingMaxMessages(batching ? request.get("batchingMaxMessages").getAsInt() : 1000)
            .batchingMaxPublishDelay(50, TimeUnit.MILLISECONDS)
            .blockIfQueueFull(true)
            .create();
    List<CompletableFuture<MessageId>> sends = new ArrayList<>();
    for (JsonElement element : request.getAsJsonArray("messages")) {
      JsonObject message = element.getAsJsonObject();
      TypedMessageBuilder<byte[]> builder = producer.newMessage().value(bytes(message, "data"));
      if (message.has("key")) builder.key(message.get("key").getAsString());
      if (message.has("eventTime")) builder.eventTime(message.get("eventTime").getAsLong());
      if (message.has("properties")) {
        for (Map.Entry<String, JsonElement> property : message.getAsJsonObject("properties").entrySet())
          builder.property(property.getKey(), property.getValue().getAsString());
      }
      sends.add(builder.sendAsync());
    }
    producer.flush();
    JsonArray ids = new JsonArray();
    for (CompletableFuture<MessageId> send : sends) ids.add(describe(send.get(30, TimeUnit.SECONDS)));
    producer.close();
    JsonObject result = new JsonObject();
    result.add("ids", ids);
    return result;
  }

  /** Receives `count` messages (acknowledging each) and closes the consumer. */
  private static JsonElement consume(PulsarClient client, JsonObject request) throws Exception {
    int timeoutMs = request.has("timeoutMs") ? request.get("timeoutMs").getAsInt() : 15000;
    Consumer<byte[]> consumer =
        client
            .newConsumer()
            .topic(request.get("topic").getAsString())
            .subscriptionName(request.get("subscription").getAsString())
            .subscriptionType(SubscriptionType.Exclusive)
            .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
            .subscribe();
    JsonArray messages = new JsonArray();
    try {
      for (int i = request.get("count").getAsInt(); i > 0; i--) {
        Message<byte[]> message = consumer.receive(timeoutMs, TimeUnit.MILLISECONDS);
        if (message == null) throw new IllegalStateException("no message within " + timeoutMs + " ms");
        messages.add(describe(message));
        consumer.acknowledge(message);
      }
    } finally {
      consumer.close();
    }
    JsonObject result = new JsonObject();
    result.add("messages", messages);
    return result;
  }

  /**
   * Subscribes with retry enabled (Shared, default retry and DLQ names), receives `count` messages from the
   * topic or its retry topic and hands each to reconsumeLater(delayMs), then closes.
   */
  private static JsonElement reconsume(PulsarClient client, JsonObject request) throws Exception {
    Consumer<byte[]> consumer =
        client
            .newConsumer()
            .topic(request.get("topic").getAsString())
            .subscriptionName(request.get("subscription").getAsString())
            .subscriptionType(SubscriptionType.Shared)
            .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
            .enableRetry(true)
            .deadLetterPolicy(
                DeadLetterPolicy.builder()
                    .maxRedeliverCount(request.get("maxRedeliverCount").getAsInt())
                    .build())
            .subscribe();
    JsonArray messages = new JsonArray();
    try {
      for (int i = request.get("count").getAsInt(); i > 0; i--) {
        Message<byte[]> message = consumer.receive(15000, TimeUnit.MILLISECONDS);
        if (message == null) throw new IllegalStateException("no message to reconsume within 15 s");
        messages.add(describe(message));
        consumer.reconsumeLater(message, request.get("delayMs").getAsLong(), TimeUnit.MILLISECONDS);
      }
    } finally {
      consumer.close();
    }
    JsonObject result = new JsonObject();
    result.add("messages", messages);
    return result;
  }

  private static JsonObject describe(Message<byte[]> message) {
    JsonObject out = new JsonObject();
    out.addProperty("data", Base64.getEncoder().encodeToString(message.getData()));
    if (message.hasKey()) out.addProperty("key", message.getKey());
    JsonObject properties = new JsonObject();
    message.getProperties().forEach(properties::addProperty);
    out.add("properties", properties);
    out.addProperty("eventTime", message.getEventTime());
    out.addProperty("publishTime", message.getPublishTime());
    out.addProperty("topic", message.getTopicName());
    out.add("id", describe(message.getMessageId()));
    return out;
  }

  private static JsonObject describe(MessageId id) {
    JsonObject out = new JsonObject();
    out.addProperty("bytes", Base64.getEncoder().encodeToString(id.toByteArray()));
    out.addProperty("text", id.toString());
    if (id instanceof MessageIdAdv) {
      MessageIdAdv adv = (MessageIdAdv) id;
      out.addProperty("ledgerId", Long.toString(adv.getLedgerId()));
      out.addProperty("entryId", Long.toString(adv.getEntryId()));
      out.addProperty("partition", adv.getPartitionIndex());
      out.addProperty("batchIndex", adv.getBatchIndex());
      out.addProperty("batchSize", adv.getBatchSize());
    }
    return out;
  }

  private static byte[] bytes(JsonObject object, String field) {
    return Base64.getDecoder().decode(object.get(field).getAsString());
  }
}
