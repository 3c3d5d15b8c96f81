#!/bin/bash
# LocalStack ready hook: creates the same buckets the local stack creates (names from the environment,
# defaults as in .env.example). Mounted into /etc/localstack/init/ready.d/ by docker-compose.yml.
set -euo pipefail
for bucket in "${S3_BUCKET_DATASETS:-gyre-datasets}" "${S3_BUCKET_MODELS:-gyre-models}" "${S3_BUCKET_TIERED:-gyre-tiered}"; do
  awslocal s3api head-bucket --bucket "$bucket" 2>/dev/null || awslocal s3api create-bucket --bucket "$bucket"
done
echo "gyre buckets ready"
