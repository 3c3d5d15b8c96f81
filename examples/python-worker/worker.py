#!/usr/bin/env python3
"""A Gyre HTTP worker in Python 3, standard library only.

Pulls batches of events from a stream's Shared subscription, computes something from each payload,
acks what it processed and nacks what failed (Gyre redelivers those, and dead-letters them after the
subscription's maxRedeliveries). Honours 429/503 Retry-After. Stops cleanly on SIGINT/SIGTERM: it
finishes the batch in hand, settles it, and exits 0.

Usage: worker.py --url http://127.0.0.1:3000 --key gyre_... --stream clicks --subscription scoring
       [--batch 100] [--wait-ms 10000] [--lease-ms 30000] [--initial-position Earliest]
       [--results results.jsonl]   (one JSON line per processed event; default: stdout)
       [--mode stream --credits 100]   (one long-lived NDJSON response instead of pulls; acks in batches)
The key may also come from the GYRE_API_KEY environment variable.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

stopping = False


def request_stop(signum, _frame):
    global stopping
    stopping = True
    print(f"signal {signum}: finishing the current batch", file=sys.stderr)


class Gyre:
    """The three consumption calls, retried on 429/503 (Retry-After) and on connection errors."""

    def __init__(self, url, key, stream, subscription):
        quote = urllib.parse.quote
        self.base = f"{url.rstrip('/')}/v1/streams/{quote(stream, safe='')}/subscriptions/{quote(subscription, safe='')}/messages"
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def call(self, action, body, timeout):
        attempt = 0
        while True:
            request = urllib.request.Request(
                f"{self.base}:{action}", data=json.dumps(body).encode(), headers=self.headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                problem = error.read().decode(errors="replace")
                if error.code not in (429, 503):
                    raise RuntimeError(f"{action}: HTTP {error.code}: {problem}") from None
                delay = float(error.headers.get("Retry-After") or 1)
                print(f"{action}: HTTP {error.code}, retrying in {delay:g} s", file=sys.stderr)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                delay = min(30.0, 0.5 * 2**attempt)
                print(f"{action}: {error}, retrying in {delay:g} s", file=sys.stderr)
            attempt += 1
            # Settling must finish even while stopping (the batch in hand); only pulls give up.
            if stopping and action == "pull":
                return {"messages": []}
            time.sleep(delay)


def process(payload):
    """The work: here, a tiny feature from a click (raises on payloads it cannot use)."""
    amount = payload["amount"]
    if not isinstance(amount, (int, float)):
        raise ValueError("amount is not a number")
    return {"user": payload["user"], "amount": amount, "amountSquared": amount * amount}


class Settler:
    """Acks and nacks in batches, from a thread: every 0.2 s, or at once when `batch` wait.

    A thread because an ack is answered only once Gyre has committed it (a few ms): a stream only sends
    more once leases are settled (its credits), and a pull loop should not wait for the last batch's
    acks before it pulls the next one."""

    def __init__(self, gyre, batch):
        self.gyre, self.batch = gyre, batch
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.done, self.failures = [], []
        self.processed = self.failed = 0
        self.closed = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def add(self, token, ok):
        with self.lock:
            (self.done if ok else self.failures).append(token)
            if len(self.done) + len(self.failures) >= self.batch:
                self.wake.set()

    def run(self):
        while True:
            self.wake.wait(0.2)
            self.wake.clear()
            with self.lock:
                done, failures, self.done, self.failures = self.done, self.failures, [], []
                closed = self.closed
            try:
                self.settle(done, failures)
            except Exception as error:  # unsettled leases expire and come back: keep settling the rest
                print(f"settling failed: {error}", file=sys.stderr)
            if closed:
                return

    def settle(self, done, failures):
        if done:
            results = self.gyre.call("ack", {"leaseTokens": done}, timeout=30)["results"]
            late = [r for r in results if r["result"] != "acked"]
            if late:
                print(f"{len(late)} leases were not acked (expired or misdirected): redelivered", file=sys.stderr)
            self.processed += len(done) - len(late)
        if failures:
            self.gyre.call("nack", {"leaseTokens": failures, "delayMs": 1000}, timeout=30)
            self.failed += len(failures)

    def close(self):
        with self.lock:
            self.closed = True
        self.wake.set()
        self.thread.join()


def pull_loop(gyre, args, out):
    """Pull mode: batches of --batch; each batch's acks go from the settler's thread while the next pull runs."""
    body = {"max": args.batch, "waitMs": args.wait_ms, "leaseMs": args.lease_ms, "initialPosition": args.initial_position}
    settler = Settler(gyre, args.batch)
    try:
        while not stopping:
            for message in gyre.call("pull", body, timeout=args.wait_ms / 1000 + 30)["messages"]:
                handle(message, out, settler.add)
    finally:
        settler.close()
    return settler.processed, settler.failed


def stream(gyre, args, out):
    """Stream mode: one NDJSON response at a time (reopened when it ends), at most --credits unsettled."""
    body = {"credits": args.credits, "leaseMs": args.lease_ms, "initialPosition": args.initial_position, "durationMs": 60_000}
    settler = Settler(gyre, max(1, min(args.batch, args.credits // 2)))
    try:
        while not stopping:
            request = urllib.request.Request(
                f"{gyre.base}:stream", data=json.dumps(body).encode(), headers=gyre.headers, method="POST"
            )
            try:
                # The timeout bounds each read: an idle stream is reopened, and SIGTERM is seen within it.
                with urllib.request.urlopen(request, timeout=2) as response:
                    for line in response:
                        if line.strip():
                            handle(json.loads(line), out, settler.add)
                        if stopping:
                            break
            except (socket.timeout, TimeoutError):
                continue
            except urllib.error.HTTPError as error:
                if error.code not in (429, 503):
                    raise RuntimeError(f"stream: HTTP {error.code}: {error.read().decode(errors='replace')}") from None
                time.sleep(float(error.headers.get("Retry-After") or 1))
            except (urllib.error.URLError, ConnectionError) as error:
                print(f"stream: {error}, reopening in 1 s", file=sys.stderr)
                time.sleep(1)
    finally:
        settler.close()
    return settler.processed, settler.failed


def handle(message, out, settle):
    """Processes one message and hands its token to `settle(token, ok)`."""
    try:
        result = process(message["payload"])
    except Exception as error:  # a bad event must not stop the worker: nack it
        print(f"message {message['messageId']} failed: {error}", file=sys.stderr)
        settle(message["leaseToken"], False)
        return
    # Written before the ack: a crash in between redelivers, never loses (at-least-once).
    out.write(json.dumps({"messageId": message["messageId"], **result}) + "\n")
    out.flush()
    settle(message["leaseToken"], True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3000")
    parser.add_argument("--key", default=os.environ.get("GYRE_API_KEY"))
    parser.add_argument("--stream", required=True)
    parser.add_argument("--subscription", required=True)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--wait-ms", type=int, default=10_000)
    parser.add_argument("--lease-ms", type=int, default=30_000)
    parser.add_argument("--initial-position", choices=["Latest", "Earliest"], default="Latest")
    parser.add_argument("--results", help="file to append one JSON line per processed event to")
    parser.add_argument("--mode", choices=["pull", "stream"], default="pull")
    parser.add_argument("--credits", type=int, default=100, help="stream mode: most messages held unsettled")
    args = parser.parse_args()
    if not args.key:
        parser.error("an API key is required: --key or GYRE_API_KEY")

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    gyre = Gyre(args.url, args.key, args.stream, args.subscription)
    out = open(args.results, "a", encoding="utf-8") if args.results else sys.stdout
    try:
        run = stream if args.mode == "stream" else pull_loop
        processed, failed = run(gyre, args, out)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"stopped: {processed} processed, {failed} nacked", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
