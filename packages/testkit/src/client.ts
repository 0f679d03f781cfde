import type { GraphQLFormattedError } from 'graphql';

export interface RequestOptions {
  /** Access token, sent as `Authorization: Bearer …`. */
  token?: string | null;
  /** Store id or slug, sent as `X-Store`. */
  store?: string | null;
  headers?: Record<string, string>;
}

export interface GraphQLResponse<Data> {
  status: number;
  data?: Data | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** A plain `fetch` GraphQL client, as a storefront or admin app would be. */
export class GraphClient {
  constructor(readonly url: string) {}

  async execute<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<Data>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.store) headers['x-store'] = options.store;
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
    return { status: response.status, ...body };
  }

  /** Executes and returns `data`, failing with the errors when there are any. */
  async data<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<Data> {
    const result = await this.execute<Data>(query, variables, options);
    if (result.errors?.length || !result.data)
      throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
    return result.data;
  }
}

/** The `extensions.code` of each error of a response. */
export function errorCodes(response: GraphQLResponse<unknown>): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
