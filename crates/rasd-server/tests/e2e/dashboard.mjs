// End-to-end test of the rasd dashboard in Debian's headless Chromium, driven by
// playwright-core (which never downloads a browser). Started by tests/e2e.rs with
// RASD_URL (a running server over the seeded store), RASD_TOKEN (an analyst's token)
// and RASD_SCREENSHOT (where to save a picture of the dashboard).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { openBrowser, steps } from './browser.mjs';

const URL = process.env.RASD_URL;
const TOKEN = process.env.RASD_TOKEN;
const SHOT = process.env.RASD_SCREENSHOT;
assert.ok(URL && TOKEN, 'RASD_URL and RASD_TOKEN are needed');

const browser = await openBrowser();
const ctx = browser.ctx;
const { step, finish } = steps();

// RFC 4180 rows (quoted fields may hold commas, quotes and newlines).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const errors = [];
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  // the change stream is cut by design when the page reloads or closes
  page.on('requestfailed', r => { if (!r.url().endsWith('.map') && !r.url().includes('/api/stream')) errors.push(`request failed: ${r.url()}`); });
  // Everything must come from the server itself: no tile server, no CDN.
  page.on('request', r => { if (!r.url().startsWith(URL)) errors.push(`off-site request: ${r.url()}`); });

  page.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(URL + '/');
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000, state: 'attached' });
  } catch (err) {
    throw new Error(`dashboard never became ready: ${errors.join(' | ')}`);
  }

  // The map, the list and the timeline load on their own: a step that reads or
  // drags one waits until every load a click started has been drawn (on PostgreSQL
  // the aggregates behind the timeline often answer after the map).
  const settled = () => page.waitForFunction(() => document.body.dataset.loading === '0');
  const reset = async () => {
    await page.click('[data-testid="reset"]');
    await page.waitForFunction(() => document.body.dataset.mapEvents === '5');
    await settled();
  };

  await step('the map shows every sample event, on Syria\'s outlines', async () => {
    await settled();
    assert.equal(await page.getAttribute('body', 'data-map-events'), '5');
    const outlines = await page.locator('#map path.leaflet-interactive').count();
    assert.ok(outlines >= 14, `governorate outlines drawn: ${outlines}`);
    const markers = await page.locator('#map .event-marker, #map .marker-cluster').count();
    assert.ok(markers >= 1, 'markers or clusters on the map');
    assert.equal(await page.locator('[data-testid="event-item"]').count(), 5);
    assert.ok(await page.locator('#timeline canvas').count() >= 1, 'timeline drawn');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  });

  if (SHOT) await page.screenshot({ path: SHOT });

  await step('a filter narrows the map and the list', async () => {
    await page.selectOption('[data-testid="f-type"]', 'battles');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.body.dataset.mapEvents === '2');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-item"]').length === 2);
    await reset();
  });

  await step('dragging over the timeline filters the map to that period', async () => {
    await settled();
    const box = await page.locator('#timeline .u-over').boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.1, y, { steps: 5 });
    await page.mouse.up();
    // only the October 2022 battle in Jasim (two reports) lies in the first tenth
    await page.waitForFunction(() => document.body.dataset.mapEvents === '2');
    assert.match(await page.inputValue('[data-testid="f-from"]'), /^2022-10-/);
    await reset();
  });

  await step('the interface switches to English and back', async () => {
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.equal((await page.textContent('[data-testid="apply"]')).trim(), 'Apply');
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  });

  const arabic = /[\u0600-\u06FF]/;
  await step('every type and sub-type, and the actors, read in Arabic in the Arabic interface', async () => {
    const types = await page.locator('#f-type option').allTextContents();
    assert.equal(types.length, 7);
    for (const ty of types) assert.match(ty, arabic, `type label ${ty}`);
    const subs = await page.locator('#f-sub option').allTextContents();
    assert.equal(subs.length, 26, 'every sub-type and «all»');
    for (const sub of subs) {
      assert.match(sub, arabic, `sub-type label ${sub}`);
      assert.ok(!sub.includes('_'), `no raw enum value: ${sub}`);
    }
    for (const label of await page.locator('[data-testid="sub-label"]').allTextContents()) {
      assert.match(label, arabic);
      assert.ok(!label.includes('_'), label);
    }
    const ariha = page.locator('[data-testid="event-item"]', { hasText: 'أريحا' });
    assert.match(await ariha.locator('[data-testid="sub-label"]').textContent(), /غارة جوية/);
    const actors = await ariha.locator('[data-testid="actors"]').textContent();
    assert.equal(actors.trim(), 'القوات الحكومية السورية');
    assert.equal(await page.locator('[data-testid="legend-type"]').count(), 6);
    assert.equal(await page.locator('[data-testid="legend-size"]').count(), 4);
    assert.ok(await page.locator('#map [data-testid="legend"]').isVisible(), 'the legend is on the map');
    // dates are isolated and written by Intl, never an ISO string cut by the text direction
    const dates = page.locator('#event-list bdi.date');
    assert.ok(await dates.count() >= 5);
    for (const d of await dates.all()) {
      assert.match(await d.getAttribute('data-iso'), /^\d{4}-\d{2}-\d{2}$/);
      assert.doesNotMatch(await d.textContent(), /T|-\d{2}-/);
    }
  });

  await step('the English interface shows English place and actor names', async () => {
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="place"]')].some(p => p.textContent === 'Ariha'));
    const places = await page.locator('[data-testid="place"]').allTextContents();
    for (const pl of places) assert.doesNotMatch(pl, arabic, `English place name: ${pl}`);
    assert.ok(places.includes('Jasim'), places.join(', '));
    const ariha = page.locator('[data-testid="event-item"]', { hasText: 'Ariha' });
    assert.equal((await ariha.locator('[data-testid="actors"]').textContent()).trim(), 'Syrian Government Forces');
    assert.equal((await ariha.locator('[data-testid="sub-label"]').textContent()).trim(), 'Air/drone strike');
    const govs = await page.locator('#f-admin1 option').allTextContents();
    assert.ok(govs.includes('Idleb') && !govs.some(g => arabic.test(g)), govs.join(', '));
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '') + '-en.png' });
    await ariha.locator('.body').click();
    await page.waitForSelector('[data-testid="article-panel"]:not([hidden])');
    assert.match(await page.textContent('[data-testid="detail-place"]'), /^Ariha/);
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '') + '-en-article.png' });
    await page.click('[data-testid="close-article"]');
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  });

  await step('the event list works from the keyboard', async () => {
    const items = page.locator('[data-testid="event-item"]');
    await items.first().focus();
    await page.keyboard.press('ArrowDown');
    const second = await items.nth(1).getAttribute('data-id');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), second);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="article-panel"]:not([hidden])');
    assert.equal(await page.evaluate(() => window.rasdState.current.id), Number(second));
    assert.match(await page.evaluate(() => location.hash), new RegExp(`^#/event/${second}`));
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="article-panel"]', { state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), second);
  });

  await step('a deep link to an event or an incident, with filters, opens the same view', async () => {
    const ariha = await page.locator('[data-testid="event-item"]', { hasText: 'أريحا' }).getAttribute('data-id');
    const other = await ctx.newPage();
    other.on('pageerror', e => errors.push(String(e)));
    await other.goto(`${URL}/#/event/${ariha}?type=explosions_remote_violence`);
    await other.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await other.waitForSelector('[data-testid="article-panel"]:not([hidden])');
    assert.equal(await other.evaluate(() => window.rasdState.current.id), Number(ariha));
    assert.equal(await other.inputValue('[data-testid="f-type"]'), 'explosions_remote_violence');
    await other.waitForFunction(() => document.querySelectorAll('[data-testid="event-item"]').length === 1);
    assert.match(await other.textContent('[data-testid="detail-sub"]'), /غارة جوية/);
    const incident = await other.evaluate(() => window.rasdState.current.incident_id);
    assert.ok(incident, 'the event is in an incident');
    await other.goto(`${URL}/#/incident/${encodeURIComponent(incident)}`);
    await other.waitForFunction(inc => window.rasdState.view && window.rasdState.view.kind === 'incident'
      && window.rasdState.view.id === inc && !document.getElementById('article-panel').hidden, incident);
    await other.waitForSelector('[data-testid="incident-box"]:not([hidden])');
    assert.match(await other.textContent('[data-testid="incident-title"]'), new RegExp(incident));
    await other.close();
  });

  await step('the export button exports what the filters show', async () => {
    const all = parseCsv(await page.evaluate(async () => (await fetch('/api/export/acled.csv')).text()));
    await page.selectOption('[data-testid="f-type"]', 'battles');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-item"]').length === 2);
    assert.match(await page.evaluate(() => location.hash), /type=battles/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-acled"]')]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
    const col = name => rows[0].indexOf(name);
    const body = rows.slice(1).filter(r => r.length > 1);
    assert.ok(body.length >= 1 && body.length < all.length - 1, `${body.length} of ${all.length - 1} rows`);
    for (const r of body) {
      assert.equal(r[col('event_type')], 'Battles');
      assert.equal(r[col('location')], 'Jasim');
      assert.equal(r[col('location_ar')], 'جاسم');
      assert.equal(r[col('inter1')], 'Political militia');
    }
    const excel = await page.evaluate(async () => {
      const b = new Uint8Array(await (await fetch(document.getElementById('export-excel').href)).arrayBuffer());
      return [b[0], b[1], b[2]];
    });
    assert.deepEqual(excel, [0xef, 0xbb, 0xbf], 'the Excel export starts with a BOM');
    await reset();
  });

  await step('clicking an event opens its article with the evidence highlighted', async () => {
    await page.locator('[data-testid="event-item"]', { hasText: 'أريحا' }).click();
    await page.waitForSelector('[data-testid="article-panel"]:not([hidden])');
    const mark = page.locator('#article-text mark.evidence').first();
    await mark.waitFor();
    assert.match(await mark.textContent(), /قتل ثلاثة مدنيين/);
    assert.equal(await page.getAttribute('#article-text', 'dir'), 'rtl');
    assert.equal(await page.locator('#article-text mark.field').first().textContent(), 'أريحا');
    // the highlighted evidence sits inside the full article text
    assert.match(await page.textContent('#article-text'), /^إدلب - منصة الشمال/);
  });

  if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '') + '-article.png' });

  await step('a signed-in analyst corrects an event; it persists and shows in the export', async () => {
    await page.click('[data-testid="signin"]');
    await page.fill('[data-testid="token"]', TOKEN);
    await page.click('[data-testid="token-ok"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="who"]').textContent.length > 0);
    await page.waitForSelector('[data-testid="correction"]:not([hidden])');
    await page.fill('[data-testid="c-fatalities"]', '4');
    await page.fill('#c-note', 'تصحيح الحصيلة');
    await page.click('[data-testid="c-save"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="c-status"]').textContent.length > 0);
    assert.ok(await page.locator('[data-testid="history-item"]').count() >= 1, 'history shows the change');
    // persisted: a fresh page load sees it
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    // the address still names the event: the reload opens it again; close it to use the list
    assert.equal(await page.isVisible('[data-testid="article-panel"]'), true);
    await page.click('[data-testid="close-article"]');
    await page.locator('[data-testid="event-item"]', { hasText: 'أريحا' }).click();
    await page.waitForSelector('#event-detail tr.corrected[data-field="fatalities"]');
    assert.match(await page.textContent('#event-detail tr[data-field="fatalities"] td'), /^4$/);
    // and the ACLED export carries the corrected figure
    const csv = await page.evaluate(async () => (await fetch(document.getElementById('export-acled').href)).text());
    const rows = parseCsv(csv);
    const fat = rows[0].indexOf('fatalities');
    const row = rows.find(r => r.includes('أريحا'));
    assert.ok(row, 'Ariha row in the ACLED export');
    assert.equal(row[fat], '4');
  });

  // Incidents in the JSON-lines export (one line each), and ACLED rows (an incident
  // over several days has one row per day) whose sources name both outlets.
  const exportedIncidents = async () => {
    const text = await page.evaluate(async () => (await fetch('/api/export/incidents.jsonl')).text());
    return text.split('\n').filter(l => l.trim()).length;
  };
  const acledRowsWith = async (a, b) => {
    const rows = parseCsv(await page.evaluate(async () => (await fetch(document.getElementById('export-acled').href)).text()));
    const src = rows[0].indexOf('source');
    return rows.slice(1).filter(r => r[src] && r[src].includes(a) && r[src].includes(b)).length;
  };
  const item = text => page.locator('[data-testid="event-item"]', { hasText: text });
  const openItem = async text => {
    // the article panel lies over the list: close it first
    if (await page.isVisible('[data-testid="article-panel"]')) await page.click('[data-testid="close-article"]');
    await item(text).first().locator('.body').click();
    await page.waitForSelector('[data-testid="incident-box"]:not([hidden])');
  };
  let before = 0;

  await step('a signed-in analyst merges two incidents picked in the list; it persists and shows in the export', async () => {
    before = await exportedIncidents();
    assert.equal(await acledRowsWith('منصة الشمال', 'صوت الفرات'), 0);
    assert.ok(before >= 3, `incidents in the export: ${before}`);
    assert.equal(await page.isHidden('[data-testid="merge-bar"]'), false, 'merge bar shown to an analyst');
    assert.equal(await page.isDisabled('[data-testid="merge"]'), true, 'merge needs two picks');
    if (await page.isVisible('[data-testid="article-panel"]')) await page.click('[data-testid="close-article"]');
    await item('أريحا').locator('[data-testid="pick-event"]').check();
    await item('الرقة').locator('[data-testid="pick-event"]').check();
    assert.equal(await page.isDisabled('[data-testid="merge"]'), false);
    assert.equal((await page.textContent('[data-testid="merge"]')).trim(), 'دمج المحدد في واقعة واحدة');
    await page.click('[data-testid="merge"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="merge-status"]').textContent.startsWith('دُمجت'));
    assert.equal(await exportedIncidents(), before - 1);
    assert.ok(await acledRowsWith('منصة الشمال', 'صوت الفرات') > 0, 'ACLED rows of the merged incident');
    // persisted: after a reload the Ariha event's incident holds the Raqqa event too
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await openItem('أريحا');
    assert.match(await page.textContent('[data-testid="incident-title"]'), /grp-/);
    assert.equal(await page.locator('[data-testid="incident-member"]').count(), 2);
    assert.equal(await page.locator('[data-testid="incident-member"]', { hasText: 'الرقة' }).count(), 1);
    assert.equal(await exportedIncidents(), before - 1);
  });

  await step('a signed-in analyst detaches an event from its incident; it persists and shows in the export', async () => {
    await openItem('أريحا');
    assert.equal(await page.locator('[data-testid="incident-member"]').count(), 2);
    const other = page.locator('[data-testid="incident-member"]:not(.current)');
    assert.match(await other.textContent(), /الرقة/);
    const otherId = await other.getAttribute('data-id');
    assert.equal((await other.locator('[data-testid="detach"]').textContent()).trim(), 'فصل عن الواقعة');
    await other.locator('[data-testid="detach"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="split-status"]').textContent.length > 0);
    assert.match(await page.textContent('[data-testid="split-status"]'), /^فُصل/);
    assert.equal(await page.locator('[data-testid="incident-member"]').count(), 1);
    assert.equal(await exportedIncidents(), before);
    assert.equal(await acledRowsWith('منصة الشمال', 'صوت الفرات'), 0);
    // persisted, and the interface reads the same in English (left to right)
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    if (await page.isVisible('[data-testid="article-panel"]')) await page.click('[data-testid="close-article"]');
    await page.locator(`[data-testid="event-item"][data-id="${otherId}"] .body`).click();
    await page.waitForSelector('[data-testid="incident-box"]:not([hidden])');
    assert.equal(await page.locator('[data-testid="incident-member"]').count(), 1);
    assert.match(await page.textContent('[data-testid="incident-title"]'), /^Incident grp-.* 1 event$/);
    assert.equal((await page.textContent('[data-testid="merge"]')).trim(), 'Merge selected into one incident');
    assert.equal(await exportedIncidents(), before);
    assert.equal(await acledRowsWith('منصة الشمال', 'صوت الفرات'), 0);
    await page.click('[data-testid="lang"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  });

  await step('no script errors and no off-site requests', async () => {
    assert.deepEqual(errors, []);
  });
} finally {
  await browser.close();
}
finish();
