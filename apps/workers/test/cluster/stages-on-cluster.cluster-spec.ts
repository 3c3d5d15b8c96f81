// The stage runtime's integration specification, run unchanged against the two-broker cluster behind its
// proxy (the cluster setup points PULSAR_SERVICE_URL and PULSAR_ADMIN_URL there, for the worker processes too).
import '../stage-runtime.int-spec';
