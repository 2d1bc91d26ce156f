// Drives the console in Debian's headless Chromium (playwright-core, no downloaded browser) against
// the gateway the JUnit test started, with the data it made. Exits non-zero on the first failure,
// after saving a screenshot of where it failed. Every page is screenshotted on every run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const GATEWAY = env('GATEWAY_URL');
const ADMIN_KEY = env('ADMIN_KEY');
const READ_KEY = env('READ_KEY');
const TABLE = env('TABLE');
const MAPPING = env('MAPPING');
const RUN_ID = env('RUN_ID');
const SHOTS = env('SCREENSHOTS');
const TIMEOUT = 20_000;

const errors = [];
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  // Playwright gives the browser a fresh temporary --user-data-dir of its own.
});

async function session(name) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: GATEWAY });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`[${name}] console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`[${name}] page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`[${name}] ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { context, page };
}

/** Waits until the runs table shows exactly n rows (filters are applied by the server: a request away). */
const runRows = (page, n) =>
  page.waitForFunction((n) => document.querySelectorAll('[data-testid="runs"] tbody tr').length === n, n);
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });

async function signIn(page, key) {
  await page.goto(GATEWAY + '/'); // / leads to /console/
  check(page.url().endsWith('/console/'), `/ leads to the console, got ${page.url()}`);
  await page.fill('input[name="api-key"]', key);
  await page.click('button[type="submit"]');
  await page.waitForSelector('header nav');
  // The key lives in sessionStorage only: never in the URL or a cookie.
  check(!page.url().includes(key), 'key not in the URL');
  const cookies = await page.context().cookies();
  check(cookies.length === 0, `no cookies, got ${JSON.stringify(cookies)}`);
  check((await page.evaluate(() => sessionStorage.getItem('deltaplane.apiKey'))) === key, 'key in sessionStorage');
}

const { page } = await session('admin');
try {
  await signIn(page, ADMIN_KEY);

  // Overview: every part's health, and charts filled from at least two samples.
  await page.waitForSelector('[data-part="metadata"] .badge:text("UP")');
  await page.waitForSelector('[data-part="lineage"] .badge:text("UP")');
  await page.waitForSelector('[data-part="ingest"] .badge:text("UP")');
  await page.waitForSelector('[data-part="postgres"] .badge:text("UP")');
  await page.waitForSelector('[data-part="kafka"] .badge:text("UP")');
  await page.waitForSelector('[data-part="metadata"]:has-text("pool:")');
  await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length === 4);
  await page.waitForSelector('text=ingest rows 20');
  // Commits while the page samples (every 2 s), so commits/s and the latency percentiles move.
  for (let v = 0; v < 40; v++) {
    const response = await fetch(`${GATEWAY}/api/v1/tables/shop.sales.clicks/commits`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        expected_version: v,
        operation: 'WRITE',
        actions: [{ add: { path: `part-${v}.parquet`, partitionValues: {}, size: 100, modificationTime: 1767225600000, dataChange: true } }],
      }),
    });
    check(response.ok, `commit ${v}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The samples taken while committing show it: commits/s above zero, and a p99 latency.
  await page.waitForFunction(() => {
    const last = (title) =>
      (document.querySelector(`[data-chart="${title}"]`)?.getAttribute('data-last') ?? '').split(',').map(Number);
    const [commitsPerSecond] = last('Commits/s');
    const [, p99] = last('Commit latency (ms)');
    return commitsPerSecond > 0 && p99 > 0;
  });
  await shot(page, 'overview');

  // Tables: browse, open, schema/partitions, history, files with time travel, reconcile (admin).
  await page.click('header a:text("Tables")');
  // a schema's Unity Catalog securables beside its tables: the volume the test made
  await page.waitForSelector('[data-testid="unity-securable"]:has-text("landing"):has-text("managed volume")');
  await page.waitForSelector('[data-testid="unity-securable"]:has-text("churn"):has-text("registered model")');
  await page.waitForSelector('[data-testid="storage-credential"]:has-text("lake_role"):has-text("arn:aws:iam::123456789012:role/lake")');
  const name = TABLE.split('.')[2];
  await page.fill('input.search', name);
  await page.waitForSelector(`a[href="#/tables/${TABLE}"]`);
  await shot(page, 'tables');
  await page.click(`a[href="#/tables/${TABLE}"]`);
  await page.waitForSelector('[data-testid="table-version"]');
  check((await page.textContent('[data-testid="table-version"]')) === '3', 'table at version 3');
  await page.waitForSelector('[data-testid="history"] tbody tr >> nth=3');
  await page.waitForSelector('td:has-text("day")');
  await page.waitForSelector('[data-testid="files"] tbody tr >> nth=2');
  await page.fill('input[aria-label="time travel to"]', '1');
  await page.click('form.inline button:text("Show")');
  await page.waitForSelector('[data-testid="files-version"]:text("Version 1:")');
  check((await page.locator('[data-testid="files"] tbody tr').count()) === 1, 'one live file at version 1');
  await page.waitForSelector('[data-testid="maintenance"]');
  check(
    (await page.textContent('[data-testid="maintenance"]')).includes('OPTIMIZE from'),
    'the maintenance policy is shown',
  );
  // Access: the admin holds every privilege (it made the table); grant and revoke, seen in the audit.
  await page.waitForSelector('[data-testid="my-privileges"] li:has-text("MANAGE")');
  await page.fill('input[aria-label="principal"]', 'legacy_readers');
  await page.selectOption('select[aria-label="privilege"]', 'MODIFY');
  await page.click('[data-testid="access"] button:text("Grant")');
  await page.waitForSelector('[data-testid="grants"] tr[data-principal="legacy_readers"] td:has-text("MODIFY")');
  await page.click('[data-testid="access"] button:text("Revoke")');
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="grants"] tr[data-principal="legacy_readers"]'),
  );
  await page.reload(); // the audit is read when the page opens
  await page.waitForSelector('[data-testid="activity"] td:has-text("PATCH")');
  // The table's catalog, opened from the browser: its own grants, offering the catalog's privileges.
  const catalog = TABLE.split('.')[0];
  await page.click('header a:text("Tables")');
  // The list grows while each catalog's schemas load and moves the link, so a click aimed at its
  // place can miss it (in CI the catalog page once never opened): follow the link itself.
  await page.locator(`a[href="#/tables/${catalog}"]`).dispatchEvent('click');
  await page.waitForSelector('[data-testid="my-privileges"] li:has-text("MANAGE")');
  await page.fill('input[aria-label="principal"]', 'legacy_readers');
  await page.selectOption('select[aria-label="privilege"]', 'CREATE_SCHEMA');
  await page.click('[data-testid="access"] button:text("Grant")');
  await page.waitForSelector('[data-testid="grants"] tr[data-principal="legacy_readers"] td:has-text("CREATE_SCHEMA")');
  await shot(page, 'catalog-access');
  await page.click('[data-testid="access"] button:text("Revoke")');
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="grants"] tr[data-principal="legacy_readers"]'),
  );
  await page.goto(`${GATEWAY}/console/#/tables/${TABLE}`);
  await page.waitForSelector('[data-testid="table-version"]');
  await page.click('button:text("Reconcile")');
  await page.waitForSelector('.ok:text("Reconciled")');
  // The table's Iceberg metadata is made when an Iceberg client first loads the table (a table no
  // Iceberg client reads costs nothing per commit), then shown with the Delta version it reflects.
  const [icebergCatalog, icebergSchema, icebergTable] = TABLE.split('.');
  const icebergLoad = await fetch(
    `${GATEWAY}/api/2.1/unity-catalog/iceberg/v1/catalogs/${icebergCatalog}/namespaces/${icebergSchema}/tables/${icebergTable}`,
    { headers: { Authorization: `Bearer ${ADMIN_KEY}` } },
  );
  check(icebergLoad.status === 200, `Iceberg load: ${icebergLoad.status}`);
  // the same address: a goto would not fetch the page's state again
  await page.reload();
  await page.waitForSelector('[data-testid="iceberg"]:text("reflects version 3")');
  await shot(page, 'table');

  // An OPTIMIZE (one file per partition: nothing to compact) is a run of the table's maintenance
  // job in lineage, delivered by metadata-service's relay; the table's page links to those runs.
  const optimized = await fetch(`${GATEWAY}/api/v1/tables/${TABLE}/optimize`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  check(optimized.status === 200, `optimize: ${optimized.status}`);
  const job = `maintenance:${TABLE}`;
  let delivered = false;
  for (let i = 0; i < 40 && !delivered; i++) {
    const runs = await (
      await fetch(`${GATEWAY}/api/v1/runs?job=${encodeURIComponent(job)}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })
    ).json();
    delivered = runs.runs.some((r) => r.state === 'COMPLETED');
    if (!delivered) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  check(delivered, `a COMPLETED run of ${job} in lineage`);
  await page.click('[data-testid="maintenance-runs"]');
  await page.waitForSelector(`[data-testid="runs"] tbody tr:has-text("${job}") .badge:text("COMPLETED")`);

  // Ingest: the mapping with its rows and dead letters; pause, resume, validate; preview.
  await page.click('header a:text("Ingest")');
  const row = `[data-mapping="${MAPPING}"]`;
  await page.waitForSelector(`${row} td:has-text("20")`);
  // a DuckDB target reads schema.table (no leading dot for the warehouse's own database)
  const target = (await page.textContent(`${row} [data-target-kind="duckdb"]`)).trim();
  check(target === 'duckdb shop_stream.orders', `target column, got "${target}"`);
  // events/s shows from the second refresh on (a rate needs two samples); nothing flows now, so 0
  await page.waitForFunction(
    (sel) => /^\d+$/.test(document.querySelector(sel)?.textContent ?? ''),
    `${row} [data-testid="events-per-s"]`,
  );
  await page.waitForSelector(`${row} .badge:text("RUNNING")`);
  await page.click(`${row} button:text("Pause")`);
  await page.waitForSelector(`${row} button:text("Resume")`);
  await page.waitForSelector(`${row} .badge:text("PAUSED")`); // once the worker has stopped it
  await page.click(`${row} button:text("Resume")`);
  await page.waitForSelector(`${row} button:text("Pause")`);
  check(
    ['STARTING', 'RUNNING'].includes((await page.textContent(`${row} .badge.state-starting, ${row} .badge.state-running, ${row} .badge.state-paused`)).trim()),
    'a resumed mapping is starting or running, not PAUSED',
  );
  await page.waitForSelector(`${row} .badge:text("RUNNING")`);
  await page.click('button:text("Validate all mappings")');
  await page.waitForSelector('[data-testid="validate-report"]');
  await shot(page, 'ingest');
  await page.click(`a[href="#/ingest/${MAPPING}"]`);
  await page.waitForSelector('[data-testid="rows"] td:has-text("customer-7")');
  await page.waitForSelector('[data-testid="dead-letters"] td:has-text("this is not json")');
  check((await page.locator('[data-testid="dead-letters"] tbody tr').count()) === 3, 'three dead letters');
  await shot(page, 'mapping');

  // Runs: across jobs, filter by state and job, a run page with its artifact downloaded.
  await page.click('header a:text("Runs")');
  await page.waitForSelector('[data-testid="runs"] tbody tr >> nth=3');
  // across jobs (GET /api/v1/runs): the chain's runs and the ingest mapping's
  await page.waitForSelector(`[data-testid="runs"] tbody tr[data-run="${RUN_ID}"]`);
  // the state filter within this test's job (the other suites on this platform have failed runs too)
  await page.selectOption('select[aria-label="job"]', 'daily_revenue');
  // the job's health, as lineage judges it: its last run failed
  await page.waitForSelector('[data-testid="job-health"]:has-text("daily_revenue: FAILING — its last run")');
  await page.selectOption('select[aria-label="state"]', 'FAILED');
  await runRows(page, 1);
  await page.waitForSelector('[data-testid="runs"] tbody tr .badge:text("FAILED")');
  await page.selectOption('select[aria-label="state"]', 'ABANDONED');
  await page.waitForSelector('p:text("No runs match these filters.")');
  await page.selectOption('select[aria-label="state"]', '');
  await page.selectOption('select[aria-label="job"]', 'clean_orders');
  await runRows(page, 1);
  await page.waitForSelector('[data-testid="runs"] td:has-text("raw.orders → clean.orders")');
  await page.selectOption('select[aria-label="job"]', '');
  await page.waitForSelector(`[data-testid="runs"] tbody tr[data-run="${RUN_ID}"]`);
  await shot(page, 'runs');
  await page.click(`a[href="#/runs/${RUN_ID}"]`);
  await page.waitForSelector('[data-testid="outputs"] td:has-text("mart.daily_revenue")');
  await page.waitForSelector('[data-testid="inputs"] td:has-text("clean.orders")');
  await page.waitForSelector('[data-testid="events"] td:has-text("metric")');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Download")')]);
  const body = readFileSync(await download.path(), 'utf8');
  check(body.includes('wrote 42 rows of mart.daily_revenue'), `artifact content, got ${body}`);
  await shot(page, 'run');

  // Lineage: the three-job chain drawn left to right; click a node to re-centre.
  await page.click('main a[href="#/lineage/job%3Adaily_revenue"]');
  await page.waitForSelector('[data-node="job:daily_revenue"]');
  await page.selectOption('select[aria-label="depth"]', '10');
  await page.waitForSelector('[data-node="job:extract_orders"]');
  for (const id of ['table:raw.orders', 'job:clean_orders', 'table:clean.orders', 'table:mart.daily_revenue']) {
    await page.waitForSelector(`[data-node="${id}"]`);
  }
  const x = async (id) => (await page.locator(`[data-node="${id}"]`).boundingBox()).x;
  check((await x('job:extract_orders')) < (await x('job:clean_orders')), 'upstream drawn left of downstream');
  check((await x('job:clean_orders')) < (await x('job:daily_revenue')), 'left to right');
  check((await page.locator('.edge text').count()) > 0, 'edges labelled with run and version');
  await shot(page, 'lineage');
  await page.click('[data-node="table:clean.orders"]');
  await page.waitForFunction(() => location.hash === '#/lineage/table%3Aclean.orders');

  // Health: late.s.src's incident (metadata-service's evaluator, every 5 s here) with late.s.out
  // affected through job late_rollup; the table's health, LATE against its declared expectation.
  await page.click('header a:text("Health")');
  await page.waitForSelector('[data-testid="incidents"] a:text("late.s.src")', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="affected-path"]:has-text("late.s.src → job late_rollup → late.s.out")', {
    timeout: 60_000,
  });
  check(
    (await page.locator('[data-testid="incidents"] td > a:text-is("late.s.out")').count()) === 0,
    'an affected table is no incident of its own',
  );
  await shot(page, 'health');
  await page.click('[data-testid="incidents"] a:text("late.s.src")');
  await page.waitForSelector('[data-testid="health-status"]:has-text("LATE")');
  await page.waitForSelector('dd:has-text("declared on the catalog")');
  await page.waitForSelector('[data-testid="health-incident"]:has-text("its own")');
  await shot(page, 'health-table');
  // the affected table names the incident it is in, and links to its root
  await page.evaluate(() => {
    location.hash = '#/health/late.s.out';
  });
  await page.waitForSelector(
    '[data-testid="health-incident"]:has-text("affected by late.s.src via late.s.src → job late_rollup → late.s.out")',
  );
  // ... and its path, drawn in red in the lineage picture
  await page.click('[data-testid="health-incident"] a:text("late.s.src → job late_rollup → late.s.out")');
  await page.waitForSelector('g.edge.late[data-edge="table:late.s.src->job:late_rollup"]');
  await page.waitForSelector('g.edge.late[data-edge="job:late_rollup->table:late.s.out"]');
  check((await page.locator('g.node.late').count()) === 3, 'the path runs through src, late_rollup and out');
  await shot(page, 'lineage-late');
  await page.goBack();
  await page.click('[data-testid="health-incident"] a:text("late.s.src")');
  await page.waitForSelector('[data-testid="health-incident"]:has-text("its own")');

  // API keys: create (shown once, copied), revoke.
  await page.click('header a:text("API keys")');
  await page.waitForSelector('[data-key="console-reader"]');
  await page.fill('input[aria-label="key name"]', 'console-created');
  await page.click('button:text("Create key")');
  const created = await page.textContent('[data-testid="new-key"]');
  check(created && created.length > 10, 'new key shown');
  await page.click('button:text("Copy")');
  await page.waitForSelector('button:text("Copied")');
  check((await page.evaluate(() => navigator.clipboard.readText())) === created, 'copied to the clipboard');
  await page.click('[data-key="console-created"] button:text("Revoke")');
  await page.waitForSelector('[data-key="console-created"]:has-text("revoked")');
  await page.click('button:text("Done")');
  check(!(await page.content()).includes(created), 'the new key is shown once only');
  await shot(page, 'api-keys');

  // Audit: the whole trail for the admin, filtered to one table's events; the chain verifies.
  await page.click('header a:text("Audit")');
  await page.waitForSelector('[data-testid="audit"] tbody tr');
  await page.fill('input[aria-label="securable"]', TABLE);
  await page.click('form.inline button:text("Filter")');
  await page.waitForFunction((table) => {
    const rows = [...document.querySelectorAll('[data-testid="audit"] tbody tr')];
    return rows.length > 0 && rows.every((r) => r.textContent.includes(table));
  }, TABLE);
  await page.waitForSelector('[data-testid="audit"] td:has-text("PATCH")');
  await page.click('button:text("Verify the chain")');
  await page.waitForSelector('[data-testid="audit-verified"]:text("intact")');
  await shot(page, 'audit');
} catch (e) {
  await shot(page, 'failure').catch(() => {});
  console.error(e);
  await browser.close();
  process.exit(1);
}

// A read key sees everything and can change nothing: the buttons say why they are off.
const reader = (await session('read')).page;
try {
  await signIn(reader, READ_KEY);
  check((await reader.locator('header a:text("API keys")').count()) === 0, 'no API keys page for a read key');
  await reader.goto(`${GATEWAY}/console/#/tables/${TABLE}`);
  await reader.waitForSelector('[data-testid="table-version"]');
  check(await reader.locator('button:text("Reconcile")').isDisabled(), 'reconcile disabled for read');
  await reader.waitForSelector('small:text("needs admin scope")');
  // a reader sees the grants and its own privileges, and no grant form nor audit (never refused)
  await reader.waitForSelector('[data-testid="my-privileges"] li:has-text("SELECT")');
  check((await reader.locator('[data-testid="access"] button:text("Grant")').count()) === 0, 'no grant form for a reader');
  check((await reader.locator('[data-testid="activity"]').count()) === 0, 'no audit for a reader');
  await reader.goto(`${GATEWAY}/console/#/ingest`);
  await reader.waitForSelector(`[data-mapping="${MAPPING}"]`);
  check(await reader.locator(`[data-mapping="${MAPPING}"] button:text("Pause")`).isDisabled(), 'pause disabled for read');
  check(await reader.locator('button:text("Validate all mappings")').isDisabled(), 'validate disabled for read');
  const title = await reader.locator(`[data-mapping="${MAPPING}"] button:text("Pause")`).getAttribute('title');
  check(title && title.includes("scope 'write'"), `reason given, got ${title}`);
  // Forced anyway, the API refuses: the button stays disabled, nothing is sent.
  await reader.locator(`[data-mapping="${MAPPING}"] button:text("Pause")`).click({ force: true });
  await reader.goto(`${GATEWAY}/console/#/overview`);
  await reader.waitForSelector('[data-part="gateway"]');
  await shot(reader, 'read-key');
} catch (e) {
  await shot(reader, 'failure-read').catch(() => {});
  console.error(e);
  await browser.close();
  process.exit(1);
}

// Single sign-on: through the identity provider's own pages (authorization code with PKCE) and
// back, signed in as the principal it named, with that principal's grants (a reader here).
const SSO_PRINCIPAL = env('SSO_PRINCIPAL');
const sso = (await session('sso')).page;
try {
  await sso.goto(`${GATEWAY}/console/`);
  await sso.click('[data-testid="sso"]');
  await sso.waitForSelector('header nav');
  check((await sso.textContent('header .who')).includes(SSO_PRINCIPAL), 'signed in as the principal the provider named');
  check(!sso.url().includes('code='), 'the code is out of the address bar');
  const token = await sso.evaluate(() => sessionStorage.getItem('deltaplane.apiKey'));
  check(token && token.split('.').length === 3, 'the access token (a JWT) is the credential');
  await sso.goto(`${GATEWAY}/console/#/tables/${TABLE}`);
  await sso.waitForSelector('[data-testid="table-version"]');
  await sso.waitForSelector('[data-testid="my-privileges"] li:has-text("SELECT")');
  await shot(sso, 'sso');
} catch (e) {
  await shot(sso, 'failure-sso').catch(() => {});
  console.error(e);
  await browser.close();
  process.exit(1);
}

await browser.close();
if (errors.length) {
  console.error('console errors:\n' + errors.join('\n'));
  process.exit(1);
}
console.log('console e2e: ok');
