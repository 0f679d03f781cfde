// The answer to a call made in this process (RunningServer.fetch): what the gateway reads of a
// subgraph's fetch Response, without the Response. A fetch Response would validate its headers
// and put the body the subgraph wrote into a stream of bytes, for the gateway to read the stream
// and decode the bytes back into the same string; on a cold storefront read that was a few per
// cent of the graph's CPU (README, Benchmarks).

/** The headers of an in-process answer, as a fetch Response's headers are read: by any case of name. */
export class InProcessHeaders implements Iterable<[string, string]> {
  private readonly byName = new Map<string, string>();

  constructor(headers: Iterable<[string, string]>) {
    for (const [name, value] of headers) this.append(name, value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const earlier = this.byName.get(key);
    this.byName.set(key, earlier === undefined ? value : `${earlier}, ${value}`);
  }

  delete(name: string): void {
    this.byName.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.byName.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), value);
  }

  entries(): IterableIterator<[string, string]> {
    return this.byName.entries();
  }

  keys(): IterableIterator<string> {
    return this.byName.keys();
  }

  values(): IterableIterator<string> {
    return this.byName.values();
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.byName) callback(value, name);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
}

/**
 * A fetch Response as the gateway's data sources take one (Apollo's FetcherResponse: status,
 * headers, text, json, …), over the answer's body as a string.
 */
export class InProcessResponse {
  readonly ok: boolean;
  readonly headers: InProcessHeaders;
  readonly redirected = false;
  private consumed = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    headers: Iterable<[string, string]>,
    private readonly body: string,
    readonly url = '',
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new InProcessHeaders(headers);
  }

  get bodyUsed(): boolean {
    return this.consumed;
  }

  async text(): Promise<string> {
    if (this.consumed) throw new TypeError('Body is unusable: Body has already been read');
    this.consumed = true;
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): InProcessResponse {
    if (this.consumed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new InProcessResponse(this.status, this.statusText, this.headers, this.body, this.url);
  }
}

/** A Fetch-style call's headers (a plain record, as the gateway's data sources pass them, or any HeadersInit). */
export function requestHeaderEntries(headers: RequestInit['headers']): Iterable<[string, string]> {
  if (headers === undefined) return [];
  if (headers instanceof Headers || Array.isArray(headers)) return new Headers(headers);
  return Object.entries(headers).map(([name, value]): [string, string] => [
    name,
    typeof value === 'string' ? value : value.join(', '),
  ]);
}
