import { isUuid } from '@commerce/database';
import { badUserInput } from './errors.js';

/** Opaque global id of an object: encodes its type and key (Relay object identification). */
export function toGlobalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  type: string;
  key: string;
}

/** Decodes a global id, or null when it is not one. */
export function decodeGlobalId(id: string): DecodedGlobalId | null {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || toGlobalId(text.slice(0, colon), text.slice(colon + 1)) !== id)
    return null;
  return { type: text.slice(0, colon), key: text.slice(colon + 1) };
}

/** The uuid key of a global id of the expected type, or null (for lookups that answer "not found"). */
export function keyOrNull(id: string, type: string): string | null {
  const decoded = decodeGlobalId(id);
  return decoded && decoded.type === type && isUuid(decoded.key) ? decoded.key : null;
}

/** The uuid key of a global id of the expected type; a BAD_USER_INPUT error otherwise. */
export function keyOf(id: string, type: string, field: string[] = ['id']): string {
  const key = keyOrNull(id, type);
  if (!key) throw badUserInput(`"${id}" is not a ${type} id.`, field);
  return key;
}
