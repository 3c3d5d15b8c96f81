import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** An HS256 secret as the broker's AuthenticationProviderToken reads it (`tokenSecretKey`). */
export function newTokenSecret(): Buffer {
  return randomBytes(32);
}

/** A signed HS256 JWT, as `pulsar tokens create --secret-key` makes: {alg: HS256}, {sub, exp?}. */
export function signToken(secret: Buffer, claims: { sub: string; exp?: number }): string {
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256' }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${base64url(createHmac('sha256', secret).update(unsigned).digest())}`;
}

/** Broker configuration for token authentication with `superUser` as the broker's own role. */
export function tokenAuthConfig(secret: Buffer, superUserToken: string, superUser: string) {
  return {
    authenticationEnabled: 'true',
    authenticationProviders: 'org.apache.pulsar.broker.authentication.AuthenticationProviderToken',
    tokenSecretKey: `data:;base64,${secret.toString('base64')}`,
    superUserRoles: superUser,
    brokerClientAuthenticationPlugin: 'org.apache.pulsar.client.impl.auth.AuthenticationToken',
    brokerClientAuthenticationParameters: `token:${superUserToken}`,
  };
}

export interface TestCertificates {
  dir: string;
  caCert: string;
  brokerCert: string;
  brokerKey: string;
  /** A second CA that signed nothing the broker has: trusting only it must fail. */
  otherCaCert: string;
}

/** A throwaway CA and a broker certificate for 127.0.0.1/localhost, made with the openssl CLI. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-pulsar-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const newCa = (name: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      at(`${name}.key.pem`),
      '-out',
      at(`${name}.cert.pem`),
      '-subj',
      `/CN=gyre-test-${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  newCa('ca');
  newCa('other-ca');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('broker.key.pem'),
    '-out',
    at('broker.csr.pem'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(at('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    at('broker.csr.pem'),
    '-CA',
    at('ca.cert.pem'),
    '-CAkey',
    at('ca.key.pem'),
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    at('broker.cert.pem'),
    '-extfile',
    at('broker.ext'),
  );
  return {
    dir,
    caCert: at('ca.cert.pem'),
    brokerCert: at('broker.cert.pem'),
    brokerKey: at('broker.key.pem'),
    otherCaCert: at('other-ca.cert.pem'),
  };
}
