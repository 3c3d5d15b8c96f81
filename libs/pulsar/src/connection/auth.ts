/** What CONNECT and AUTH_RESPONSE carry: a method name and its credential bytes. */
export interface Authentication {
  readonly authMethodName: string;
  getAuthData(): Promise<Buffer>;
}

export type TokenSupplier = string | (() => string) | (() => Promise<string>);

/** JWT authentication: method "token", the token's UTF-8 bytes (no "Bearer " prefix). */
export class AuthenticationToken implements Authentication {
  readonly authMethodName = 'token';
  private readonly supplier: TokenSupplier;

  constructor(params: { token: TokenSupplier }) {
    this.supplier = params.token;
  }

  async getAuthData(): Promise<Buffer> {
    const token = typeof this.supplier === 'string' ? this.supplier : await this.supplier();
    return Buffer.from(token, 'utf8');
  }
}
