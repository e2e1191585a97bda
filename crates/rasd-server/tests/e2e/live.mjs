// The dashboard's live updates in Debian's headless Chromium (playwright-core), driven
// by crates/rasd/tests/live_dashboard.rs: `rasd watch` polls a feed the test serves,
// `rasd serve` runs on the same store at RASD_URL. This script asks the test for each
// step on stdout ("STEP name") and reads "done name" on stdin when it is done.
// The page is never reloaded: a mark set on `window` at the start must survive.
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import { openBrowser, steps } from './browser.mjs';

const URL = process.env.RASD_URL;
const TOKEN = process.env.RASD_TOKEN;
const SHOT = process.env.RASD_SCREENSHOT;
assert.ok(URL && TOKEN, 'RASD_URL and RASD_TOKEN are needed');
// A debug build codes slowly: an item may take several seconds from feed to page.
const WAIT = 90000;

const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function ask(step) {
  console.log(`STEP ${step}`);
  const { value, done } = await answers.next();
  assert.ok(!done && value.trim() === `done ${step}`, `the test did not do ${step}: ${value}`);
}

const browser = await openBrowser();
const ctx = browser.ctx;
const { step, fail, finish } = steps();
const errors = [];

// What the server says the filters select, to compare with what the page shows.
async function apiIds(page, query) {
  const body = await page.evaluate(async q => (await fetch(`/api/events?${q}&limit=200`)).json(), query);
  return body.items.map(e => e.id).sort((a, b) => a - b);
}
// Every load of the map, the list and the timeline started so far is drawn
// (body[data-loading] counts those in flight).
const settled = page => page.waitForFunction(() => document.body.dataset.loading === '0');
const listIds = page => page.$$eval('[data-testid="event-item"]', lis => lis.map(li => Number(li.dataset.id)).sort((a, b) => a - b));
const newIds = page => page.$$eval('[data-testid="event-item"].new', lis => lis.map(li => Number(li.dataset.id)).sort((a, b) => a - b));

try {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  page.on('request', r => { if (!r.url().startsWith(URL)) errors.push(`off-site request: ${r.url()}`); });
  await page.goto(URL + '/');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000, state: 'attached' });
  await page.evaluate(() => { window.__noReload = true; });
  const daraa = 'admin1=' + encodeURIComponent('درعا');
  let before = [];

  await step('the page follows the change stream, and says so in words', async () => {
    await page.waitForSelector('[data-testid="live"][data-state="on"]', { timeout: WAIT });
    assert.equal((await page.textContent('[data-testid="live"]')).trim(), 'مباشر');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    before = await listIds(page);
    assert.ok(before.length >= 1, 'the first item\'s events are listed');
    assert.equal(await page.isHidden('[data-testid="new-badge"]'), true, 'nothing new yet');
  });

  await step('with a filter on, a new item\'s event appears marked «new» only when the filter selects it', async () => {
    const daraaBefore = await apiIds(page, daraa);
    assert.ok(daraaBefore.length >= 1, 'the first item is a report from Daraa');
    await page.selectOption('[data-testid="f-admin1"]', 'درعا');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(n => document.querySelectorAll('[data-testid="event-item"]').length === n, daraaBefore.length);
    await ask('add-items');
    // Daraa's new event arrives; Idlib's is stored too but the filter leaves it out.
    await page.waitForSelector('[data-testid="event-item"].new', { timeout: WAIT });
    await page.waitForFunction(() => Number(document.body.dataset.newEvents) >= 1);
    const all = await apiIds(page, '');
    const inDaraa = await apiIds(page, daraa);
    assert.ok(all.length > inDaraa.length, `Idlib's events are stored: ${all} vs ${inDaraa}`);
    await page.waitForFunction(n => document.querySelectorAll('[data-testid="event-item"]').length === n, inDaraa.length, { timeout: WAIT });
    assert.deepEqual(await listIds(page), inDaraa);
    const fresh = inDaraa.filter(id => !before.includes(id));
    assert.ok(fresh.length >= 1);
    assert.deepEqual(await newIds(page), fresh);
    for (const id of fresh) {
      const mark = page.locator(`[data-testid="event-item"][data-id="${id}"] [data-testid="new-mark"]`);
      assert.equal((await mark.textContent()).trim(), 'جديد', 'the mark is a word');
      assert.match(await page.getAttribute(`[data-testid="event-item"][data-id="${id}"]`, 'aria-label'), /^جديد · /);
    }
    // the counter counts what the filter shows
    await page.waitForFunction(n => document.body.dataset.newEvents === String(n), fresh.length);
    assert.equal((await page.textContent('[data-testid="new-badge"]')).trim(), `${fresh.length} جديد`);
    // and the map has it, labelled too
    assert.equal(await page.getAttribute('body', 'data-map-events'), String(inDaraa.length));
    assert.equal(await page.getAttribute('body', 'data-map-new'), String(fresh.length));
    assert.ok(await page.locator('#map [data-testid="map-new"]').count() >= 1, 'a «new» label on the map');
    assert.equal((await page.locator('#map [data-testid="map-new"]').first().textContent()).trim(), 'جديد');
    assert.equal(await page.evaluate(() => window.__noReload), true, 'no reload');
    if (SHOT) await page.screenshot({ path: SHOT });
  });

  await step('clearing the filter shows the other new events, marked too', async () => {
    await page.click('[data-testid="reset"]');
    const all = await apiIds(page, '');
    await page.waitForFunction(n => document.querySelectorAll('[data-testid="event-item"]').length === n, all.length);
    assert.deepEqual(await newIds(page), all.filter(id => !before.includes(id)));
    await page.waitForFunction(n => document.body.dataset.newEvents === String(n), all.length - before.length);
  });

  await step('an analyst\'s correction elsewhere updates the open page', async () => {
    const [id] = (await newIds(page));
    const res = await page.evaluate(async ([id, token]) => (await fetch(`/api/events/${id}/corrections`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ changes: { fatalities: 17 }, note: 'live test' }),
    })).status, [id, TOKEN]);
    assert.equal(res, 200);
    await page.waitForFunction(id => /17/.test(document.querySelector(`[data-testid="event-item"][data-id="${id}"] .d`).textContent), id, { timeout: WAIT });
  });

  await step('an event marked wrong elsewhere leaves the list and the map', async () => {
    const shown = await listIds(page);
    const id = before[0];
    const res = await page.evaluate(async ([id, token]) => (await fetch(`/api/events/${id}/wrong`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ wrong: true, note: 'live test' }),
    })).status, [id, TOKEN]);
    assert.equal(res, 200);
    await page.waitForFunction(id => !document.querySelector(`[data-testid="event-item"][data-id="${id}"]`), id, { timeout: WAIT });
    assert.equal(await page.getAttribute('body', 'data-map-events'), String(shown.length - 1));
  });

  await step('opening a new event reads it: its mark goes and the counter drops', async () => {
    const fresh = await newIds(page);
    const n = Number(await page.getAttribute('body', 'data-new-events'));
    await page.locator(`[data-testid="event-item"][data-id="${fresh[0]}"] .body`).click();
    await page.waitForSelector('[data-testid="article-panel"]:not([hidden])');
    await page.waitForFunction(id => !document.querySelector(`[data-testid="event-item"][data-id="${id}"]`).classList.contains('new'), fresh[0]);
    await page.waitForFunction(n => document.body.dataset.newEvents === String(n), n - 1);
    await page.click('[data-testid="close-article"]');
  });

  await step('after the server restarts, the stream resumes where it was and misses nothing', async () => {
    const shown = await listIds(page);
    await ask('restart-server');
    // the item that arrived while the server was down reaches the page
    await page.waitForFunction(n => document.querySelectorAll('[data-testid="event-item"]').length > n, shown.length, { timeout: WAIT });
    await page.waitForSelector('[data-testid="live"][data-state="on"]', { timeout: WAIT });
    const all = await apiIds(page, '');
    await page.waitForFunction(n => document.querySelectorAll('[data-testid="event-item"]').length === n, all.length, { timeout: WAIT });
    const added = all.filter(id => !shown.includes(id));
    assert.ok(added.length >= 1);
    for (const id of added) assert.ok((await newIds(page)).includes(id), `event ${id} marked new`);
    assert.equal(await page.evaluate(() => window.__noReload), true, 'no reload');
  });

  await step('the English interface says «new» in English, left to right', async () => {
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    // the list and the map are drawn again in English: wait until both are
    await settled(page);
    await page.waitForSelector('[data-testid="new-mark"]');
    assert.equal((await page.locator('[data-testid="new-mark"]').first().textContent()).trim(), 'new');
    assert.match((await page.textContent('[data-testid="new-badge"]')).trim(), /^\d+ new$/);
    assert.equal((await page.textContent('[data-testid="live"]')).trim(), 'live');
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  });

  await step('clearing the marks empties the counter', async () => {
    await page.click('[data-testid="new-badge"]');
    // the counter goes at once; the list and the map lose their marks as they reload
    assert.equal(await page.isHidden('[data-testid="new-badge"]'), true);
    await settled(page);
    assert.equal(await page.locator('[data-testid="new-mark"]').count(), 0);
    assert.equal(await page.isHidden('[data-testid="new-badge"]'), true);
    assert.equal(await page.getAttribute('body', 'data-map-new'), '0');
  });

  await step('no script errors and no off-site requests', async () => {
    assert.deepEqual(errors, []);
  });
} catch (err) {
  fail('the story ran to its end', err);
} finally {
  await browser.close();
}
finish();
