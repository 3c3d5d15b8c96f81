import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details/problem-details';

const SCHEME = 'api-key';
const PUBLIC_PATHS = new Set(['/health', '/metrics']);
const PROBLEM = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } };
const SECURITY_PROBLEMS = {
  401: 'API key missing, malformed, unknown, revoked or rotated away (WWW-Authenticate: Bearer)',
  403: "the key's role may not call this endpoint, or the stream is outside its scope",
  429: "the key's rate limit is exceeded: retry after Retry-After seconds",
};

/** Serves the OpenAPI document at /docs-json and Swagger UI at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gyre API')
      .setDescription('Ingestion, administration and operations of Gyre, ML feedback loops on Apache Pulsar.')
      .setVersion('0.1.0')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'gyre_<id>_<secret>',
          description:
            'An API key with a role (producer, consumer, admin) and a scope of streams. The first admin key: `npm run api-key -- create --role admin --name <name>`.',
        },
        SCHEME,
      )
      .addSecurityRequirements(SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, documentSecurity(document), { jsonDocumentUrl: 'docs-json' });
}

/** Every operation but the public ones needs the key and may answer 401, 403 and 429. */
function documentSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (PUBLIC_PATHS.has(path)) {
        operation.security = [];
        continue;
      }
      for (const [status, description] of Object.entries(SECURITY_PROBLEMS))
        operation.responses[status] ??= { description, content: PROBLEM };
    }
  }
  return document;
}
