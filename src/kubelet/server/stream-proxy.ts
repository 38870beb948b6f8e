/**
 * A byte-level proxy for upgraded HTTP connections (exec, attach, port-forward): the client's request is
 * replayed to the backend (request line with a new path, the client's headers, minus hop-by-hop ones the
 * backend sets itself: Host, Authorization), and from then on bytes flow both ways untouched — the
 * backend's `101 Switching Protocols` (SPDY/3.1 or WebSocket) or its refusal reaches the client as it is,
 * so that the client's own fallback (kubectl: WebSocket, then SPDY) works end to end.
 *
 * Contract: `proxyUpgrade(req, clientSocket, backend, path)` resolves once both sockets are joined;
 * closing either side closes the other.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const DROP = new Set(['host', 'authorization', 'content-length']);

export function requestHead(req: IncomingMessage, path: string, host: string): string {
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (DROP.has(name.toLowerCase())) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  if (req.method === 'POST' && !req.headers['content-length']) lines.push('Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function joinSockets(client: Duplex, backend: Duplex): void {
  client.on('error', () => backend.destroy());
  backend.on('error', () => client.destroy());
  client.on('close', () => backend.destroy());
  backend.on('close', () => client.destroy());
  backend.pipe(client);
  client.pipe(backend);
}

export async function proxyUpgrade(req: IncomingMessage, client: Duplex, connectBackend: () => Promise<Duplex>, path: string, host: string): Promise<void> {
  const backend = await connectBackend();
  backend.write(requestHead(req, path, host));
  joinSockets(client, backend);
}
