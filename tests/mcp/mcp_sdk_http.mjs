// The HTTP half of mcp_sdk_test.mjs: the SDK's StreamableHTTPClientTransport
// against /mcp on a real jirasync-api, with API keys (Authorization: Bearer).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

export async function runHttp({ jirasync, jirasyncApi, config, dir, env, children, Client, StreamableHTTPClientTransport, exercise, waitFor, step }) {
  step('jirasync apikey create (read and admin)');
  const makeKey = (name, scope) => {
    const r = spawnSync(jirasync, ['-c', config, 'apikey', 'create', name, '--scope', scope], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').pop().trim();
  };
  const readKey = makeKey('mcp-reader', 'read');
  const adminKey = makeKey('mcp-admin', 'admin');

  step('jirasync-api on a free port');
  const apiConfig = path.join(dir, 'api.yaml');
  fs.writeFileSync(apiConfig, fs.readFileSync(config, 'utf8') + 'listen: 127.0.0.1:0\napi:\n  listen: 127.0.0.1:0\nlog_level: info\n');
  const api = spawn(jirasyncApi, ['--config', apiConfig], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(api);
  let apiLog = '';
  api.stdout.on('data', (d) => (apiLog += d));
  api.stderr.on('data', (d) => (apiLog += d));
  const address = await waitFor('jirasync-api to listen', () => {
    assert.equal(api.exitCode, null, `jirasync-api exited:\n${apiLog}`);
    const m = /serving the API on (\S+)/.exec(apiLog);
    return m && m[1];
  });
  const url = new URL(`http://${address}/mcp`);
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

  try {
    step('/mcp without a key is 401');
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    });
    assert.equal(anonymous.status, 401);

    step('SDK client over streamable HTTP with a read key');
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${readKey}` } } });
    const client = new Client({ name: 'jirasync-mcp-http-test', version: '1.0.0' });
    await client.connect(transport);
    assert.match(transport.sessionId, /^[0-9a-f]{32}$/);
    const key = await exercise(client, { admin: false });

    step('another key cannot use the session; DELETE ends it');
    const stolen = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${adminKey}`,
        'mcp-session-id': transport.sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
    });
    assert.equal(stolen.status, 404);
    const ended = transport.sessionId;
    await transport.terminateSession();
    await client.close();
    const after = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${readKey}`, 'mcp-session-id': ended },
      body: JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'ping' }),
    });
    assert.equal(after.status, 404);

    step('an admin key may refresh_issue');
    const adminTransport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${adminKey}` } } });
    const adminClient = new Client({ name: 'jirasync-mcp-http-admin', version: '1.0.0' });
    await adminClient.connect(adminTransport);
    const refresh = await adminClient.callTool({ name: 'refresh_issue', arguments: { key } });
    assert.ok(!refresh.isError, refresh.content[0].text);
    assert.equal(refresh.structuredContent.runs[0].project, 'MCPT');
    await adminClient.close();
  } catch (e) {
    console.error(`jirasync-api log:\n${apiLog}`);
    throw e;
  } finally {
    api.kill('SIGTERM');
  }
}
