import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  ResponseObject,
  ResponsesObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CONTENT_TYPE } from './problem-details/problem-details';

const SCHEME = 'api-key';
const PUBLIC_PATHS = new Set(['/health', '/metrics']);
const PROBLEM = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } };
const SECURITY_PROBLEMS = {
  401: 'API key missing, malformed, unknown, revoked or rotated away (WWW-Authenticate: Bearer)',
  403: "the key's role may not call this endpoint, or the stream is outside its scope",
  429: "the key's rate limit is exceeded: retry after Retry-After seconds",
};

// Refused at the edge, before authentication, for any operation with path parameters.
const PATH_PROBLEMS = {
  400: 'invalid-path: a path parameter holds a control character or a malformed percent-escape',
  414: 'uri-too-long: a path parameter is over 2,048 characters',
};

/** Serves the OpenAPI document at /docs-json and Swagger UI at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gyre API')
      .setDescription(
        'Ingestion, administration and operations of Gyre, ML feedback loops on Apache Pulsar. Every error is ' +
          'RFC 9457 application/problem+json with a stable type URI (https://gyre.dev/problems/<slug>); an ' +
          'unknown path is 404 not-found, a known path with another method 405 method-not-allowed (Allow header).',
      )
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

/**
 * Every operation but the public ones needs the key and may answer 401, 403 and 429; every operation with
 * path parameters may answer invalid-path (400) and uri-too-long (414).
 */
function documentSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (path.includes('{')) documentPathProblems(operation.responses);
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

function documentPathProblems(responses: ResponsesObject): void {
  for (const [status, description] of Object.entries(PATH_PROBLEMS)) {
    const response = responses[status] as ResponseObject | undefined;
    if (response?.description) response.description = `${response.description}; ${description}`;
    else responses[status] = { description, content: PROBLEM };
  }
}
