// Acceptance test of `jirasync mcp` (and /mcp on jirasync-api) with the
// official MCP TypeScript SDK as the client: a small simulator project is
// synced into a SQLite cache in embedded mode, then the SDK's client drives
// the server: initialize, list tools, call each tool, list and read resources.
//
// Environment: JIRASYNC_BIN_DIR (jirasync, jirasim, jirasync-api), the SDK
// under ${JIRASYNC_TOOLS_DIR:-<repo>/.tools}/mcp-sdk (scripts/deps.sh installs
// it). Exit 77 (skipped) when Node's SDK is missing, unless CI is set.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const binDir = process.env.JIRASYNC_BIN_DIR || path.join(repo, 'build/bin');
const toolsDir = process.env.JIRASYNC_TOOLS_DIR || path.join(repo, '.tools');
const sdkDir = path.join(toolsDir, 'mcp-sdk/node_modules/@modelcontextprotocol/sdk');
const SKIP = 77;

function skipOrFail(why) {
  if (process.env.CI) {
    console.error(`FAIL: ${why} (CI is set: scripts/deps.sh must install it)`);
    process.exit(1);
  }
  console.error(`SKIP: ${why}`);
  process.exit(SKIP);
}

if (!fs.existsSync(path.join(sdkDir, 'package.json'))) skipOrFail(`no MCP SDK at ${sdkDir}`);
const sdk = (p) => import(pathToFileURL(path.join(sdkDir, 'dist/esm', p)).href);
const { Client } = await sdk('client/index.js');
const { StdioClientTransport } = await sdk('client/stdio.js');
const { StreamableHTTPClientTransport } = await sdk('client/streamableHttp.js');

const jirasync = path.join(binDir, 'jirasync');
const jirasim = path.join(binDir, 'jirasim');
const jirasyncApi = path.join(binDir, 'jirasync-api');
for (const b of [jirasync, jirasim]) assert.ok(fs.existsSync(b), `missing binary ${b}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jirasync-mcp-'));
const env = { ...process.env, JIRA_API_TOKEN: 'jirasim-demo-token' };
const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
});

async function waitFor(what, check, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function step(name) {
  console.log(`-- ${name}`);
}

// 1. The simulator and a synced cache.
const portFile = path.join(dir, 'jirasim.port');
const sim = spawn(jirasim, ['--port', '0', '--port-file', portFile, '--projects', 'MCPT:40'], {
  stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'jirasim.log'), 'w')],
});
children.push(sim);
const simPort = await waitFor('jirasim port file', () => {
  try {
    return Number(fs.readFileSync(portFile, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
});
const config = path.join(dir, 'jirasync.yaml');
fs.writeFileSync(
  config,
  `jira:\n  base_url: http://127.0.0.1:${simPort}\n  email: demo@jirasim.test\n` +
    `projects:\n  - key: MCPT\n    cache_ttl: 1h\n` +
    `database_url: sqlite:${path.join(dir, 'cache.db')}\nbus: inprocess\n`,
);
step('jirasync run --once');
const once = spawnSync(jirasync, ['-c', config, 'run', '--once'], { env, encoding: 'utf8', timeout: 180000 });
assert.equal(once.status, 0, `run --once failed:\n${once.stdout}\n${once.stderr}`);

// 2. stdout carries nothing but protocol messages.
step('stdout holds only JSON-RPC lines');
const raw = spawnSync(jirasync, ['mcp', '--config', config], {
  env,
  encoding: 'utf8',
  timeout: 30000,
  input:
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }) +
    '\n' +
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) +
    '\nnot json\n' +
    JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }) +
    '\n',
});
assert.equal(raw.status, 0, raw.stderr);
const lines = raw.stdout.split('\n').filter((l) => l.length > 0);
assert.equal(lines.length, 3, raw.stdout);
const replies = lines.map((l) => JSON.parse(l));
assert.equal(replies[0].result.protocolVersion, '2025-06-18');
assert.equal(replies[1].error.code, -32700);
assert.deepEqual(replies[2], { jsonrpc: '2.0', id: 2, result: {} });

// 3. The SDK's client over stdio.
async function exercise(client, { admin }) {
  assert.equal(client.getServerVersion().name, 'jirasync');
  assert.ok(client.getServerCapabilities().tools, 'tools capability');
  assert.ok(client.getServerCapabilities().resources, 'resources capability');

  step('tools/list');
  const { tools } = await client.listTools();
  assert.deepEqual(
    tools.map((t) => t.name),
    ['search_issues', 'get_issue', 'list_changes', 'list_templates', 'sync_status', 'refresh_issue'],
  );
  for (const t of tools) assert.equal(t.inputSchema.type, 'object', t.name);

  step('search_issues (jql, two pages)');
  const jql = 'project = MCPT ORDER BY key ASC';
  const first = await client.callTool({ name: 'search_issues', arguments: { jql, limit: 25 } });
  assert.ok(!first.isError, first.content[0].text);
  assert.equal(first.structuredContent.issues.length, 25);
  assert.deepEqual(JSON.parse(first.content[0].text), first.structuredContent);
  assert.equal(typeof first.structuredContent.next_cursor, 'string');
  const second = await client.callTool({
    name: 'search_issues',
    arguments: { jql, limit: 25, cursor: first.structuredContent.next_cursor },
  });
  assert.equal(second.structuredContent.issues.length, 15);
  assert.equal(second.structuredContent.next_cursor, null);
  const keys = [...first.structuredContent.issues, ...second.structuredContent.issues].map((i) => i.key);
  assert.equal(new Set(keys).size, 40);
  const row = first.structuredContent.issues[0];
  for (const f of ['id', 'key', 'project', 'status', 'summary', 'updated_ms', 'source', 'synced_ms', 'age_ms', 'stale'])
    assert.ok(f in row, `row has ${f}`);
  assert.equal(row.project, 'MCPT');
  assert.equal(row.stale, false);

  step('search_issues (bad JQL is a tool error)');
  const bad = await client.callTool({ name: 'search_issues', arguments: { jql: 'project = = MCPT' } });
  assert.equal(bad.isError, true);
  assert.match(bad.content[0].text, /JQL/);

  step('list_templates + search_issues (template)');
  const templates = await client.callTool({ name: 'list_templates', arguments: {} });
  assert.ok(templates.structuredContent.templates.length > 20);
  const runnable = templates.structuredContent.templates.find((t) => t.params.every((p) => p.default !== null));
  assert.ok(runnable, 'a template whose parameters all have defaults');
  const byTemplate = await client.callTool({ name: 'search_issues', arguments: { template: runnable.name } });
  assert.ok(!byTemplate.isError, byTemplate.content[0].text);
  assert.ok(Array.isArray(byTemplate.structuredContent.issues));

  step('get_issue');
  const key = keys[0];
  const issue = await client.callTool({ name: 'get_issue', arguments: { key } });
  assert.ok(!issue.isError, issue.content[0].text);
  assert.equal(issue.structuredContent.issue.key, key);
  assert.equal(issue.structuredContent.issue.source, 'cache');
  assert.ok(Array.isArray(issue.structuredContent.history));
  const missing = await client.callTool({ name: 'get_issue', arguments: { key: 'MCPT-99999' } });
  assert.equal(missing.isError, true);

  step('list_changes');
  const changes = await client.callTool({ name: 'list_changes', arguments: { since: '-1d', project: 'MCPT' } });
  assert.equal(changes.structuredContent.changes.length, 40);
  assert.ok(changes.structuredContent.changes.every((c) => c.badge === 'new'));

  step('sync_status');
  const status = await client.callTool({ name: 'sync_status', arguments: {} });
  const project = status.structuredContent.projects[0];
  assert.equal(project.key, 'MCPT');
  assert.equal(project.tickets, 40);
  assert.equal(project.stale, false);
  assert.equal(project.last_run.status, 'success');

  step('refresh_issue');
  const refresh = await client.callTool({ name: 'refresh_issue', arguments: { key } });
  if (admin) {
    assert.ok(!refresh.isError, refresh.content[0].text);
    assert.equal(refresh.structuredContent.runs[0].project, 'MCPT');
    assert.equal(typeof refresh.structuredContent.runs[0].run_id, 'string');
  } else {
    assert.equal(refresh.isError, true);
    assert.match(refresh.content[0].text, /admin/);
  }

  step('protocol errors: unknown tool, bad arguments');
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /-32602/);
  await assert.rejects(client.callTool({ name: 'search_issues', arguments: { jql, limit: 0 } }), /arguments\.limit/);

  step('resources/list + resources/read');
  const listed = await client.listResources();
  assert.equal(listed.resources.length, 40);
  assert.equal(listed.nextCursor, undefined);
  const uri = `jira://issue/${key}`;
  assert.ok(listed.resources.some((r) => r.uri === uri));
  const read = await client.readResource({ uri });
  assert.equal(read.contents[0].uri, uri);
  assert.equal(read.contents[0].mimeType, 'application/json');
  assert.equal(JSON.parse(read.contents[0].text).issue.key, key);
  await assert.rejects(client.readResource({ uri: 'jira://issue/MCPT-99999' }), /-32002/);
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.equal(resourceTemplates[0].uriTemplate, 'jira://issue/{key}');
  return key;
}

step('SDK client over stdio');
const stdio = new StdioClientTransport({ command: jirasync, args: ['-c', config, 'mcp'], env, stderr: 'pipe' });
let serverLog = '';
stdio.stderr?.on('data', (d) => (serverLog += d));
const client = new Client({ name: 'jirasync-mcp-test', version: '1.0.0' });
try {
  await client.connect(stdio);
  const key = await exercise(client, { admin: true });
  step('get_issue with max_age refreshes through the pipeline');
  const fresh = await client.callTool({ name: 'get_issue', arguments: { key, max_age: '0s' } });
  assert.ok(!fresh.isError, fresh.content[0].text);
  assert.equal(fresh.structuredContent.issue.source, 'jira', JSON.stringify(fresh.structuredContent.note));
} catch (e) {
  console.error(`server stderr:\n${serverLog}`);
  throw e;
} finally {
  await client.close();
}

// 4. The streamable HTTP transport on jirasync-api, with an API key.
const httpPart = path.join(here, 'mcp_sdk_http.mjs');
if (fs.existsSync(jirasyncApi) && fs.existsSync(httpPart)) {
  const { runHttp } = await import(pathToFileURL(httpPart).href);
  await runHttp({ jirasync, jirasyncApi, config, dir, env, children, Client, StreamableHTTPClientTransport, exercise, waitFor, step });
} else {
  console.log(`-- no ${jirasyncApi}: the HTTP transport part waits for the api role`);
}

sim.kill('SIGTERM');
fs.rmSync(dir, { recursive: true, force: true });
console.log('OK');
