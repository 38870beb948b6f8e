/** What a server-facing command needs, built lazily from the global flags: connection, transport, discovery. */
import { connectionFor, type Connection } from './connection.js';
import { Discovery } from './discovery.js';
import type { ParsedFlags } from './flags.js';
import type { IO } from './io.js';
import { Transport } from './transport.js';

export interface Factory {
  conn: Connection;
  transport: Transport;
  discovery: Discovery;
}

export async function makeFactory(flags: ParsedFlags, io: IO): Promise<Factory> {
  const conn = await connectionFor(flags, io.env);
  const transport = new Transport(conn);
  return { conn, transport, discovery: new Discovery(transport, conn.cacheDir) };
}
