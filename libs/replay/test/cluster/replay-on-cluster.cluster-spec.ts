// The replay-from-S3 specification (history offloaded, deleted from BookKeeper, replayed byte for byte), run
// unchanged against the two-broker cluster behind its proxy (the cluster setup points Gyre's Pulsar URLs there).
import '../replay-from-s3.int-spec';
