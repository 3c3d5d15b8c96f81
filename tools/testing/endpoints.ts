/** Where the integration tests find the real local stack (the same defaults as .env.example). */
export interface TestEndpoints {
  pulsarServiceUrl: string;
  pulsarAdminUrl: string;
  /** The Pulsar cluster tenants are allowed on: standalone's, or the local cluster's in `npm run test:cluster`. */
  pulsarCluster: string;
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
  s3BucketTiered: string;
  s3BucketDatasets: string;
  s3BucketModels: string;
  databaseUrl: string;
}

export function testEndpoints(env: NodeJS.ProcessEnv = process.env): TestEndpoints {
  return {
    pulsarServiceUrl: env.PULSAR_SERVICE_URL || 'pulsar://127.0.0.1:6650',
    pulsarAdminUrl: env.PULSAR_ADMIN_URL || 'http://127.0.0.1:8080',
    pulsarCluster: env.PULSAR_CLUSTER || 'standalone',
    s3Endpoint: env.S3_ENDPOINT || 'http://127.0.0.1:4566',
    s3Region: env.S3_REGION || 'us-east-1',
    s3AccessKeyId: env.S3_ACCESS_KEY_ID || 'test',
    s3SecretAccessKey: env.S3_SECRET_ACCESS_KEY || 'test',
    s3BucketTiered: env.S3_BUCKET_TIERED || 'gyre-tiered',
    s3BucketDatasets: env.S3_BUCKET_DATASETS || 'gyre-datasets',
    s3BucketModels: env.S3_BUCKET_MODELS || 'gyre-models',
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/gyre',
  };
}
