import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

const info = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  const i = parseRequestInfo(method, u.pathname, u.searchParams);
  return [i.verb, i.apiGroup, i.apiVersion, i.namespace, i.resource, i.name, i.subresource];
};

test('resource paths map to verb, group, version, namespace, resource, name and subresource', () => {
  assert.deepEqual(info('GET', '/api/v1/pods'), ['list', '', 'v1', '', 'pods', '', '']);
  assert.deepEqual(info('GET', '/api/v1/pods?watch=true'), ['watch', '', 'v1', '', 'pods', '', '']);
  assert.deepEqual(info('GET', '/api/v1/namespaces/ns1/pods/p'), ['get', '', 'v1', 'ns1', 'pods', 'p', '']);
  assert.deepEqual(info('POST', '/api/v1/namespaces/ns1/pods/p/binding'), ['create', '', 'v1', 'ns1', 'pods', 'p', 'binding']);
  assert.deepEqual(info('PATCH', '/apis/apps/v1/namespaces/d/deployments/x/scale'), ['patch', 'apps', 'v1', 'd', 'deployments', 'x', 'scale']);
  assert.deepEqual(info('DELETE', '/apis/apps/v1/namespaces/d/deployments'), ['deletecollection', 'apps', 'v1', 'd', 'deployments', '', '']);
  assert.deepEqual(info('GET', '/api/v1/namespaces'), ['list', '', 'v1', '', 'namespaces', '', '']);
  assert.deepEqual(info('GET', '/api/v1/namespaces/kube-system'), ['get', '', 'v1', '', 'namespaces', 'kube-system', '']);
  assert.deepEqual(info('PUT', '/api/v1/namespaces/t/finalize'), ['update', '', 'v1', '', 'namespaces', 't', 'finalize']);
  assert.deepEqual(info('PUT', '/api/v1/namespaces/t/status'), ['update', '', 'v1', '', 'namespaces', 't', 'status']);
  assert.deepEqual(info('GET', '/api/v1/watch/namespaces/ns1/pods'), ['watch', '', 'v1', 'ns1', 'pods', '', '']);
});

test('non-resource paths are not resource requests', () => {
  const u = new URL('https://x/apis/apps');
  assert.equal(parseRequestInfo('GET', u.pathname, u.searchParams).isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', '/version', new URLSearchParams()).isResourceRequest, false);
});
