/**
 * X.509 certificates for the API server: a self-signed CA, and certificates it signs (serving and client).
 *
 * Node 20's crypto cannot issue certificates, so this uses @peculiar/x509 on top of WebCrypto (see
 * docs/adr/0005-apiserver-pki-peculiar-x509.md). Keys are ECDSA P-256: fast to generate, accepted by kubectl.
 */
import { webcrypto, randomBytes } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** A loaded CA that can sign. */
export interface CertificateAuthority extends KeyPair {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  return await webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), ALG, true, ['sign']);
}

async function newKeys(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

/** Creates a self-signed CA named `commonName`, valid for ten years. */
export async function createCA(commonName: string, now = new Date()): Promise<CertificateAuthority> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { cert, privateKey: keys.privateKey, certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

/** Loads a CA written by `createCA`. */
export async function loadCA(pair: KeyPair): Promise<CertificateAuthority> {
  return { ...pair, cert: new x509.X509Certificate(pair.certPem), privateKey: await importKeyPem(pair.keyPem) };
}

export interface LeafOptions {
  commonName: string;
  /** Subject O= entries: for client certificates, the user's groups. */
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
  now?: Date;
}

/** Issues a certificate signed by `ca`, valid for a year. */
export async function issue(ca: CertificateAuthority, opts: LeafOptions): Promise<KeyPair> {
  const now = opts.now ?? new Date();
  const keys = await newKeys();
  const esc = (s: string) => s.replace(/([,+="\\<>;])/g, '\\$1');
  const subject = [`CN=${esc(opts.commonName)}`, ...(opts.organizations ?? []).map((o) => `O=${esc(o)}`)].join(', ');
  const sans = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + ONE_YEAR_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey as never,
    signingKey: ca.privateKey as never,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

/** The SAN entries of a PEM certificate, for checks and tests. */
export function subjectAltNames(certPem: string): { dns: string[]; ip: string[] } {
  const cert = new x509.X509Certificate(certPem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = ext?.names.toJSON() ?? [];
  return { dns: names.filter((n) => n.type === 'dns').map((n) => n.value), ip: names.filter((n) => n.type === 'ip').map((n) => n.value) };
}
