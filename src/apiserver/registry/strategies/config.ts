/**
 * Secrets and ConfigMaps: keys must be valid config keys; a Secret's `stringData` is folded into `data`
 * (base64) and its type defaults to Opaque; `data` values must be base64.
 */
import { errors } from '../../../api/errors.js';
import type { ConfigMap, KubeObject, Secret } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { registerStrategy } from '../strategy.js';

const KEY_RE = /^[-._a-zA-Z0-9]+$/;
const MAX_SIZE = 1024 * 1024;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function validateKeys(m: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(m ?? {})) {
    if (!KEY_RE.test(k) || k.length > 253) {
      errs.push(fieldErrors.invalid(`${path}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
  }
  return errs;
}

function foldStringData(o: KubeObject): void {
  const s = o as Secret & { stringData?: Record<string, string> };
  for (const [k, v] of Object.entries(s.data ?? {})) {
    if (typeof v !== 'string' || !B64_RE.test(v)) {
      throw errors.badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${typeof v === 'string' ? Math.max(0, firstBad(v)) : 0}`);
    }
    void k;
  }
  if (s.stringData) {
    s.data = { ...s.data };
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v)).toString('base64');
    delete s.stringData;
  }
}

function firstBad(v: string): number {
  for (let i = 0; i < v.length; i++) if (!/[A-Za-z0-9+/=]/.test(v[i]!)) return i;
  return v.length - (v.length % 4);
}

registerStrategy('secrets', {
  defaults(o) {
    foldStringData(o);
    (o as Secret).type ||= 'Opaque';
  },
  validate(o) {
    const s = o as Secret;
    const errs = validateKeys(s.data, 'data');
    const size = Object.values(s.data ?? {}).reduce((n, v) => n + Math.floor((v.length * 3) / 4), 0);
    if (size > MAX_SIZE) errs.push(fieldErrors.tooLong('data', MAX_SIZE));
    if (s.type === 'kubernetes.io/tls') {
      for (const k of ['tls.crt', 'tls.key']) if (!(s.data ?? {})[k]) errs.push(fieldErrors.required(`data[${k}]`));
    }
    return errs;
  },
  validateUpdate(o, old) {
    const errs = validateKeys((o as Secret).data, 'data');
    if ((o as Secret).type !== (old as Secret).type) errs.push(fieldErrors.invalid('type', (o as Secret).type, 'field is immutable'));
    if ((old as Secret).immutable && JSON.stringify((o as Secret).data) !== JSON.stringify((old as Secret).data)) {
      errs.push(fieldErrors.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
  getAttrs: (o) => ({ type: (o as Secret).type ?? '' }),
});

registerStrategy('configmaps', {
  validate(o) {
    const c = o as ConfigMap;
    const errs = [...validateKeys(c.data, 'data'), ...validateKeys(c.binaryData, 'binaryData')];
    for (const k of Object.keys(c.data ?? {})) if ((c.binaryData ?? {})[k] !== undefined) errs.push(fieldErrors.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    return errs;
  },
  validateUpdate(o, old) {
    const c = o as ConfigMap;
    const errs = validateKeys(c.data, 'data');
    if ((old as ConfigMap).immutable && (JSON.stringify(c.data) !== JSON.stringify((old as ConfigMap).data) || JSON.stringify(c.binaryData) !== JSON.stringify((old as ConfigMap).binaryData))) {
      errs.push(fieldErrors.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
});
