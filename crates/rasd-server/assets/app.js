// rasd dashboard: plain JS over the /api endpoints, no build step.
'use strict';

const TYPE_COLOURS = {
  battles: '#c0392b',
  explosions_remote_violence: '#e67e22',
  violence_against_civilians: '#8e44ad',
  protests: '#2e86c1',
  riots: '#b7950b',
  strategic_developments: '#229954',
};
const SUB_TYPES = {
  battles: ['armed_clash', 'government_regains_territory', 'non_state_actor_overtakes_territory'],
  explosions_remote_violence: ['chemical_weapon', 'air_drone_strike', 'suicide_bomb', 'shelling_artillery_missile_attack', 'remote_explosive_landmine_ied', 'grenade'],
  violence_against_civilians: ['sexual_violence', 'attack', 'abduction_forced_disappearance'],
  protests: ['peaceful_protest', 'protest_with_intervention', 'excessive_force_against_protesters'],
  riots: ['violent_demonstration', 'mob_violence'],
  strategic_developments: ['agreement', 'arrests', 'change_to_group_activity', 'disrupted_weapons_use', 'headquarters_or_base_established', 'looting_property_destruction', 'non_violent_transfer_of_territory', 'other'],
};
const PAGE = 50;
const MAP_LIMIT = 5000;

const I18N = {
  ar: {
    title: 'رصد', subtitle: 'أحداث النزاع من الأخبار العربية', filters: 'التصفية', date_from: 'من تاريخ', date_to: 'إلى تاريخ',
    event_type: 'نوع الحدث', sub_event_type: 'النوع الفرعي', admin1: 'المحافظة', actor: 'الفاعل', text: 'بحث في النص',
    min_fatalities: 'أدنى عدد قتلى', include_wrong: 'إظهار الأحداث الموسومة خاطئة', apply: 'تطبيق', reset: 'إعادة ضبط',
    timeline: 'الخط الزمني', timeline_hint: '(اسحب لتحديد فترة)', events: 'الأحداث', export_acled: 'تصدير ACLED', export_ucdp: 'تصدير UCDP',
    export_geojson: 'GeoJSON', sign_in: 'دخول', sign_out: 'خروج', token: 'رمز الدخول', cancel: 'إلغاء', correct: 'تصحيح الحدث',
    note: 'ملاحظة', save: 'حفظ التصحيح', mark_wrong: 'وسم كخاطئ', unmark_wrong: 'إلغاء وسم الخطأ', saved: 'حُفظ التصحيح',
    fatalities: 'القتلى', injured: 'الجرحى', arrested: 'المعتقلون', date: 'التاريخ', location: 'المكان', actor1: 'الفاعل الأول',
    actor2: 'الفاعل الثاني', precision: 'الدقة', confidence: 'الثقة', source: 'المصدر', count: n => `${n} حدث`,
    page: (a, b) => `${a} / ${b}`, history: 'سجل التعديلات', wrong: 'خاطئ', incident: 'الواقعة', none: '—',
    attribution: 'الحدود: مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية (COD-AB) عبر HDX، رخصة CC BY 3.0 IGO',
    types: { battles: 'معارك', explosions_remote_violence: 'انفجارات وعنف عن بعد', violence_against_civilians: 'عنف ضد المدنيين',
      protests: 'احتجاجات', riots: 'أعمال شغب', strategic_developments: 'تطورات استراتيجية' },
    error: 'خطأ', all: 'الكل',
    partial: 'نتائج جزئية، ضيّق التصفية لرؤية البقية',
    merge: 'دمج المحدد في واقعة واحدة', picked: n => `${n} محدد`, merged: 'دُمجت الوقائع في واقعة واحدة',
    same_incident: 'الأحداث المحددة في واقعة واحدة أصلاً', select_event: 'تحديد للدمج',
    incident_members: (id, n) => `الواقعة ${id} · ${n} حدث`, detach: 'فصل عن الواقعة', detached: 'فُصل الحدث في واقعة مستقلة',
  },
  en: {
    title: 'rasd', subtitle: 'conflict events from Arabic news', filters: 'Filters', date_from: 'From', date_to: 'To',
    event_type: 'Event type', sub_event_type: 'Sub-type', admin1: 'Governorate', actor: 'Actor', text: 'Text search',
    min_fatalities: 'Min. fatalities', include_wrong: 'Show events marked wrong', apply: 'Apply', reset: 'Reset',
    timeline: 'Timeline', timeline_hint: '(drag to select a period)', events: 'Events', export_acled: 'Export ACLED', export_ucdp: 'Export UCDP',
    export_geojson: 'GeoJSON', sign_in: 'Sign in', sign_out: 'Sign out', token: 'Token', cancel: 'Cancel', correct: 'Correct this event',
    note: 'Note', save: 'Save correction', mark_wrong: 'Mark wrong', unmark_wrong: 'Unmark wrong', saved: 'Correction saved',
    fatalities: 'Fatalities', injured: 'Injured', arrested: 'Arrested', date: 'Date', location: 'Location', actor1: 'Actor 1',
    actor2: 'Actor 2', precision: 'Precision', confidence: 'Confidence', source: 'Source', count: n => `${n} events`,
    page: (a, b) => `${a} / ${b}`, history: 'Change history', wrong: 'wrong', incident: 'Incident', none: '—',
    attribution: 'Boundaries: UN OCHA COD-AB via HDX, CC BY 3.0 IGO',
    types: { battles: 'Battles', explosions_remote_violence: 'Explosions/Remote violence', violence_against_civilians: 'Violence against civilians',
      protests: 'Protests', riots: 'Riots', strategic_developments: 'Strategic developments' },
    error: 'Error', all: 'All',
    partial: 'partial results: narrow the filter to see the rest',
    merge: 'Merge selected into one incident', picked: n => `${n} selected`, merged: 'Incidents merged into one',
    same_incident: 'The selected events are one incident already', select_event: 'Select for merging',
    incident_members: (id, n) => `Incident ${id} · ${n} events`, detach: 'Detach from incident', detached: 'Event detached into an incident of its own',
  },
};

const state = {
  lang: localStorage.getItem('rasd.lang') || 'ar',
  token: sessionStorage.getItem('rasd.token') || '',
  user: null,
  offset: 0,
  total: 0,
  current: null,
  mapEvents: 0,
  ready: false,
  // event ids ticked in the list for a merge (kept across pages)
  selected: new Set(),
};
window.rasdState = state;

const $ = id => document.getElementById(id);
const t = key => I18N[state.lang][key];
const typeName = ty => (I18N[state.lang].types[ty] || ty);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('title');
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  $('lang').textContent = state.lang === 'ar' ? 'English' : 'العربية';
  $('signin').textContent = state.user ? t('sign_out') : t('sign_in');
  fillTypeSelect();
  drawLegend();
}

function fillTypeSelect() {
  const sel = $('f-type');
  const cur = sel.value;
  sel.innerHTML = `<option value="">${esc(t('all'))}</option>` +
    Object.keys(TYPE_COLOURS).map(ty => `<option value="${ty}">${esc(typeName(ty))}</option>`).join('');
  sel.value = cur;
  fillSubSelect();
}

function fillSubSelect() {
  const sel = $('f-sub');
  const cur = sel.value;
  const ty = $('f-type').value;
  const subs = ty ? SUB_TYPES[ty] : Object.values(SUB_TYPES).flat();
  sel.innerHTML = `<option value="">${esc(t('all'))}</option>` + subs.map(s => `<option value="${s}">${s.replace(/_/g, ' ')}</option>`).join('');
  if (subs.includes(cur)) sel.value = cur;
}

function drawLegend() {
  $('legend').innerHTML = Object.entries(TYPE_COLOURS)
    .map(([ty, c]) => `<div><i style="background:${c}"></i>${esc(typeName(ty))}</div>`).join('');
}

function filterParams() {
  const p = new URLSearchParams();
  const put = (k, v) => { if (v !== '' && v != null) p.set(k, v); };
  put('from', $('f-from').value);
  put('to', $('f-to').value);
  put('type', $('f-type').value);
  put('sub_type', $('f-sub').value);
  put('admin1', $('f-admin1').value);
  put('actor', $('f-actor').value.trim());
  put('q', $('f-q').value.trim());
  put('min_fatalities', $('f-minfat').value);
  if ($('f-wrong').checked) p.set('include_wrong', 'true');
  return p;
}

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (state.token) headers['Authorization'] = `Bearer ${state.token}`;
  if (opts.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error((body && body.error) || `${res.status}`);
  return body;
}

// ---- map ----
const map = L.map('map', { zoomControl: true, attributionControl: true, minZoom: 5, maxZoom: 13 }).setView([35.0, 38.5], 6);
map.attributionControl.setPrefix(false);
let boundaries = null;
const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
map.addLayer(clusters);

async function loadBoundaries() {
  const gj = await api('/assets/syria-adm1.geojson');
  boundaries = L.geoJSON(gj, {
    style: { color: '#5d6d7e', weight: 1, fillColor: '#f4f1e8', fillOpacity: 1 },
    onEachFeature: (f, layer) => {
      layer.bindTooltip(() => (state.lang === 'ar' ? f.properties.name_ar : f.properties.name_en),
        { permanent: false, direction: 'center', className: 'gov-label' });
      layer.on('click', () => { $('f-admin1').value = f.properties.name_ar; refresh(); });
    },
  }).addTo(map);
  boundaries.bringToBack();
  map.fitBounds(boundaries.getBounds(), { padding: [10, 10] });
  map.attributionControl.addAttribution('UN OCHA COD-AB (CC BY 3.0 IGO)');
  const sel = $('f-admin1');
  gj.features.map(f => f.properties).sort((a, b) => a.name_ar.localeCompare(b.name_ar, 'ar'))
    .forEach(p => sel.insertAdjacentHTML('beforeend', `<option value="${esc(p.name_ar)}">${esc(p.name_ar)} · ${esc(p.name_en)}</option>`));
}

function radius(f) {
  return 6 + Math.min(18, 3 * Math.sqrt(f || 0));
}

async function loadMap() {
  const p = filterParams();
  p.set('limit', String(MAP_LIMIT));
  const gj = await api(`/api/events.geojson?${p}`);
  clusters.clearLayers();
  const markers = [];
  for (const f of gj.features) {
    if (!f.geometry) continue;
    const [lon, lat] = f.geometry.coordinates;
    const pr = f.properties;
    const m = L.circleMarker([lat, lon], {
      radius: radius(pr.fatalities), color: '#222', weight: 1,
      fillColor: TYPE_COLOURS[pr.event_type] || '#777', fillOpacity: 0.85,
      className: `event-marker type-${pr.event_type}`,
    });
    m.bindTooltip(`${esc(typeName(pr.event_type))} · ${esc(pr.location_name)} · ${esc(pr.date_start)}`);
    m.on('click', () => openEvent(pr.id));
    m.eventId = pr.id;
    markers.push(m);
  }
  clusters.addLayers(markers);
  state.mapEvents = markers.length;
  document.body.dataset.mapEvents = String(markers.length);
}

// ---- list ----
async function loadList() {
  const p = filterParams();
  p.set('limit', String(PAGE));
  p.set('offset', String(state.offset));
  p.set('sort', '-date');
  const page = await api(`/api/events?${p}`);
  state.total = page.total;
  // a page cut short by the server's scan budget says so
  $('count').textContent = t('count')(page.total_exact ? page.total : page.total + '+') + (page.complete === false ? ` · ${t('partial')}` : '');
  const pages = Math.max(1, Math.ceil(page.total / PAGE));
  $('page').textContent = t('page')(Math.floor(state.offset / PAGE) + 1, pages);
  const pick = e => state.user
    ? `<input type="checkbox" class="pick" data-testid="pick-event" title="${esc(t('select_event'))}" aria-label="${esc(t('select_event'))}" ${state.selected.has(e.id) ? 'checked' : ''}>`
    : '';
  $('event-list').innerHTML = page.items.map(e => `
    <li data-id="${e.id}" data-testid="event-item" class="${e.wrong ? 'wrong' : ''}">${pick(e)}<div class="body">
      <div class="t"><span class="dot" style="background:${TYPE_COLOURS[e.event_type]}"></span>${esc(typeName(e.event_type))}
        · <span dir="auto">${esc(e.location.name)}</span></div>
      <div class="d">${esc(e.date_start)}${e.date_end !== e.date_start ? ' – ' + esc(e.date_end) : ''}
        · <span dir="auto">${esc(e.actor1)}${e.actor2 ? ' / ' + esc(e.actor2) : ''}</span>
        · ${esc(t('fatalities'))}: ${e.fatalities ?? t('none')}</div>
    </div></li>`).join('');
  document.querySelectorAll('#event-list li').forEach(li => {
    const id = Number(li.dataset.id);
    li.addEventListener('click', ev => { if (!ev.target.classList.contains('pick')) openEvent(id); });
    const box = li.querySelector('input.pick');
    if (box) box.addEventListener('change', () => {
      if (box.checked) state.selected.add(id); else state.selected.delete(id);
      updateMergeBar('');
    });
  });
  updateMergeBar(null);
}

function panelOpen() { return Boolean(state.current) && !$('article-panel').hidden; }

// ---- merge (list) and split (incident view): analysts only ----
function updateMergeBar(status) {
  $('merge-bar').hidden = !state.user;
  $('merge').disabled = state.selected.size < 2;
  if (status !== null) $('merge-status').textContent = status || (state.selected.size ? t('picked')(state.selected.size) : '');
}

async function mergeSelected() {
  try {
    // the incidents the ticked events are in now
    const evs = await Promise.all([...state.selected].map(id => api(`/api/events/${id}`)));
    const incidents = [...new Set(evs.map(e => e.incident_id).filter(Boolean))];
    if (incidents.length < 2) { updateMergeBar(t('same_incident')); return; }
    await api('/api/incidents/merge', { method: 'POST', body: JSON.stringify({ incident_ids: incidents, note: null }) });
    state.selected.clear();
    await Promise.all([loadList(), loadMap()]);
    if (panelOpen()) await openEvent(state.current.id);
    updateMergeBar(t('merged'));
  } catch (err) { updateMergeBar(`${t('error')}: ${err.message}`); }
}

async function showIncident(ev) {
  const box = $('incident-box');
  if (ev.incident_id == null) { box.hidden = true; return; }
  const inc = await api(`/api/incidents/${encodeURIComponent(ev.incident_id)}`);
  const ids = inc.event_ids || [];
  $('incident-title').textContent = t('incident_members')(ev.incident_id, ids.length);
  // a few members are enough to choose from; big incidents are split through the API
  const shown = ids.slice(0, 20);
  const members = await Promise.all(shown.map(id => (id === ev.id ? Promise.resolve(ev) : api(`/api/events/${id}`))));
  const canSplit = state.user && ids.length > 1;
  $('incident-members').innerHTML = members.map(m => `
    <li data-id="${m.id}" data-testid="incident-member" class="${m.id === ev.id ? 'current' : ''}">
      <span class="m" dir="auto">#${m.id} · ${esc(m.event.location.name)} · ${esc(m.event.date_start)} · ${esc(m.article.source || m.doc_id)}</span>
      ${canSplit ? `<button type="button" data-testid="detach" data-id="${m.id}">${esc(t('detach'))}</button>` : ''}
    </li>`).join('');
  $('incident-members').querySelectorAll('button[data-testid="detach"]').forEach(b =>
    b.addEventListener('click', () => detach(ev.incident_id, Number(b.dataset.id))));
  $('split-status').textContent = '';
  box.hidden = false;
}

async function detach(incident, id) {
  try {
    await api(`/api/incidents/${encodeURIComponent(incident)}/split`, { method: 'POST', body: JSON.stringify({ event_ids: [id], note: null }) });
    await Promise.all([loadList(), loadMap()]);
    await openEvent(state.current.id);
    $('split-status').textContent = t('detached');
  } catch (err) { $('split-status').textContent = `${t('error')}: ${err.message}`; }
}

// ---- timeline ----
let plot = null;
let plotDays = [];
async function loadTimeline() {
  const p = filterParams();
  // the timeline shows the whole period so a selection can be widened again
  p.delete('from'); p.delete('to');
  p.set('bucket', 'day');
  const stats = await api(`/api/stats?${p}`);
  const xs = stats.by_period.map(b => Date.parse(b.period + 'T00:00:00Z') / 1000);
  const counts = stats.by_period.map(b => b.events);
  const deaths = stats.by_period.map(b => b.fatalities);
  plotDays = stats.by_period.map(b => b.period);
  const el = $('timeline');
  const width = Math.max(200, el.clientWidth || 600);
  const opts = {
    width, height: 130,
    cursor: { drag: { x: true, y: false, setScale: false } },
    select: { show: true },
    legend: { show: false },
    scales: { x: { time: true } },
    axes: [{ stroke: '#556' }, { stroke: '#556' }],
    series: [{}, { label: t('events'), stroke: '#1f5f8b', fill: '#1f5f8b33', paths: uPlot.paths.bars({ size: [0.8, 20] }) },
      { label: t('fatalities'), stroke: '#c0392b', width: 1.5 }],
    hooks: {
      setSelect: [u => {
        if (u.select.width < 2) return;
        const a = u.posToVal(u.select.left, 'x');
        const b = u.posToVal(u.select.left + u.select.width, 'x');
        const day = s => new Date(s * 1000).toISOString().slice(0, 10);
        $('f-from').value = day(a);
        $('f-to').value = day(b);
        state.offset = 0;
        Promise.all([loadMap(), loadList()]).catch(showError);
      }],
    },
  };
  if (plot) plot.destroy();
  el.innerHTML = '';
  plot = new uPlot(opts, [xs, counts, deaths], el);
}

// ---- article and event view ----
function chars(s) { return Array.from(s); }

function highlight(text, evidence, fields) {
  // evidence/fields: [{start, end, kind, label}] in character (code point) offsets
  const cps = chars(text);
  const marks = [];
  for (const s of evidence) marks.push({ ...s, cls: 'evidence' });
  for (const s of fields) marks.push({ ...s, cls: 'field' });
  const opens = new Map();
  const closes = new Map();
  for (const m of marks) {
    if (m.start == null || m.end == null || m.end <= m.start || m.start >= cps.length) continue;
    (opens.get(m.start) || opens.set(m.start, []).get(m.start)).push(m);
    const end = Math.min(m.end, cps.length);
    closes.set(end, (closes.get(end) || 0) + 1);
  }
  // nested marks: evidence sentences contain field spans; we close/reopen to keep HTML well formed
  let out = '';
  const stack = [];
  for (let i = 0; i <= cps.length; i++) {
    if (closes.has(i)) {
      const keep = stack.filter(m => Math.min(m.end, cps.length) !== i);
      out += '</mark>'.repeat(stack.length);
      stack.length = 0;
      for (const m of keep) { out += openTag(m); stack.push(m); }
    }
    if (opens.has(i)) {
      for (const m of opens.get(i).sort((a, b) => b.end - a.end)) { out += openTag(m); stack.push(m); }
    }
    if (i < cps.length) out += esc(cps[i]);
  }
  out += '</mark>'.repeat(stack.length);
  return out;
}
function openTag(m) {
  return `<mark class="${m.cls}" data-testid="${m.cls}" ${m.label ? `title="${esc(m.label)}"` : ''}>`;
}

const EDITABLE = [
  ['event_type', 'select', Object.keys(TYPE_COLOURS)],
  ['sub_event_type', 'select', Object.values(SUB_TYPES).flat()],
  ['date_start', 'date'], ['date_end', 'date'],
  ['location.name', 'text'], ['location.admin1', 'text'],
  ['actor1', 'text'], ['actor2', 'text'],
  ['fatalities', 'number'], ['injured', 'number'], ['arrested', 'number'],
];
function getPath(obj, path) { return path.split('.').reduce((o, k) => (o == null ? o : o[k]), obj); }

async function openEvent(id) {
  try {
    const ev = await api(`/api/events/${id}`);
    state.current = ev;
    document.querySelectorAll('#event-list li').forEach(li => li.classList.toggle('active', Number(li.dataset.id) === id));
    const art = await api(`/api/articles/${encodeURIComponent(ev.doc_id)}`);
    $('article-title').textContent = art.title || ev.doc_id;
    $('article-meta').textContent = [art.source, art.published, art.url].filter(Boolean).join(' · ');
    const e = ev.event;
    const corrected = new Set(ev.corrections.filter(c => c.field).map(c => c.field));
    const row = (key, label, value) => `<tr class="${corrected.has(key) ? 'corrected' : ''}" data-field="${key}"><th>${esc(label)}</th><td dir="auto">${esc(value ?? t('none'))}</td></tr>`;
    $('event-detail').innerHTML = `<table>
      ${row('event_type', t('event_type'), typeName(e.event_type) + ' / ' + e.sub_event_type)}
      ${row('date_start', t('date'), e.date_start + (e.date_end !== e.date_start ? ' – ' + e.date_end : '') + ' (' + e.date_precision + ')')}
      ${row('location.name', t('location'), [e.location.name, e.location.admin2, e.location.admin1].filter(Boolean).join('، ') + ' (' + e.location.precision + ')')}
      ${row('actor1', t('actor1'), [e.actor1, ...(e.assoc_actor1 || [])].join('، '))}
      ${row('actor2', t('actor2'), [e.actor2, ...(e.assoc_actor2 || [])].filter(Boolean).join('، '))}
      ${row('fatalities', t('fatalities'), e.fatalities ?? (e.fatalities_vague ? '(' + e.fatalities_vague + ')' : null))}
      ${row('injured', t('injured'), e.injured)}
      ${row('arrested', t('arrested'), e.arrested)}
      ${ev.incident_id != null ? row('incident', t('incident'), ev.incident_id) : ''}
      ${ev.wrong ? row('wrong', t('wrong'), '✔') : ''}
    </table>`;
    $('history').innerHTML = ev.corrections.length
      ? `<b>${esc(t('history'))}</b><ul>` + ev.corrections.map(c => `<li data-testid="history-item">${esc(c.created_at)} · ${esc(c.user)} · ${esc(c.field || c.kind)} → ${esc(JSON.stringify(c.value))}${c.note ? ' · ' + esc(c.note) : ''}</li>`).join('') + '</ul>'
      : '';
    const mine = art.events.find(x => x.id === id) || { evidence: [], fields: [] };
    const fieldSpans = mine.fields.map(f => ({ start: f.span.start, end: f.span.end, label: f.field }));
    $('article-text').innerHTML = highlight(art.text, mine.evidence.map(s => ({ start: s.start, end: s.end })), fieldSpans);
    fillCorrection(e, ev.wrong);
    await showIncident(ev);
    $('article-panel').hidden = false;
    const first = $('article-text').querySelector('mark.evidence');
    if (first) first.scrollIntoView({ block: 'center' });
  } catch (err) { showError(err); }
}

function fillCorrection(e, wrong) {
  const form = $('correction');
  form.hidden = !state.user;
  if (!state.user) return;
  $('correction-fields').innerHTML = EDITABLE.map(([key, kind, opts]) => {
    const v = getPath(e, key);
    const id = 'c-' + key.replace('.', '-');
    const input = kind === 'select'
      ? `<select id="${id}" data-key="${key}">${opts.map(o => `<option ${o === v ? 'selected' : ''}>${o}</option>`).join('')}</select>`
      : `<input id="${id}" data-key="${key}" data-testid="${id}" type="${kind}" dir="auto" value="${esc(v ?? '')}" ${kind === 'number' ? 'min="0"' : ''}>`;
    return `<label><span>${esc(key)}</span>${input}</label>`;
  }).join('');
  $('c-wrong').textContent = wrong ? t('unmark_wrong') : t('mark_wrong');
  $('c-status').textContent = '';
}

async function saveCorrection(ev) {
  ev.preventDefault();
  const cur = state.current;
  const changes = {};
  document.querySelectorAll('#correction-fields [data-key]').forEach(el => {
    const key = el.dataset.key;
    const old = getPath(cur.event, key);
    let v = el.value;
    if (el.type === 'number') v = v === '' ? null : Number(v);
    else if (v === '' && (key === 'actor2' || key === 'location.admin1')) v = null;
    if ((old ?? null) !== (v ?? null)) changes[key] = v;
  });
  if (!Object.keys(changes).length) return;
  try {
    await api(`/api/events/${cur.id}/corrections`, { method: 'POST', body: JSON.stringify({ changes, note: $('c-note').value || null }) });
    await Promise.all([openEvent(cur.id), loadList(), loadMap()]);
    $('c-status').textContent = t('saved');
  } catch (err) { $('c-status').textContent = `${t('error')}: ${err.message}`; }
}

async function toggleWrong() {
  const cur = state.current;
  try {
    await api(`/api/events/${cur.id}/wrong`, { method: 'POST', body: JSON.stringify({ wrong: !cur.wrong, note: $('c-note').value || null }) });
    await Promise.all([openEvent(cur.id), loadList(), loadMap()]);
  } catch (err) { $('c-status').textContent = `${t('error')}: ${err.message}`; }
}

// ---- sign in ----
async function checkToken() {
  if (!state.token) { state.user = null; }
  else {
    try { state.user = (await api('/api/me')).user; } catch { state.user = null; state.token = ''; sessionStorage.removeItem('rasd.token'); }
  }
  $('who').textContent = state.user ? state.user : '';
  $('signin').textContent = state.user ? t('sign_out') : t('sign_in');
  if (!state.user) state.selected.clear();
  updateMergeBar('');
}

function showError(err) {
  console.error(err);
  $('count').textContent = `${t('error')}: ${err.message}`;
}

async function refresh() {
  state.offset = 0;
  const q = filterParams();
  $('export-acled').href = `/api/export/acled.csv?${q}`;
  $('export-ucdp').href = `/api/export/ucdp.csv?${q}`;
  $('export-geojson').href = `/api/events.geojson?${q}`;
  await Promise.all([loadMap(), loadList(), loadTimeline()]);
}

function wire() {
  $('apply').addEventListener('click', () => refresh().catch(showError));
  $('reset').addEventListener('click', () => {
    document.querySelectorAll('#filters input, #filters select').forEach(el => { if (el.type === 'checkbox') el.checked = false; else el.value = ''; });
    if (plot) plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    refresh().catch(showError);
  });
  $('f-type').addEventListener('change', fillSubSelect);
  $('f-q').addEventListener('keydown', e => { if (e.key === 'Enter') refresh().catch(showError); });
  $('prev').addEventListener('click', () => { if (state.offset > 0) { state.offset -= PAGE; loadList().catch(showError); } });
  $('next').addEventListener('click', () => { if (state.offset + PAGE < state.total) { state.offset += PAGE; loadList().catch(showError); } });
  $('close-article').addEventListener('click', () => { $('article-panel').hidden = true; });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'ar' ? 'en' : 'ar';
    localStorage.setItem('rasd.lang', state.lang);
    applyLanguage();
    refresh().catch(showError);
  });
  $('signin').addEventListener('click', () => {
    if (state.user) {
      state.token = ''; sessionStorage.removeItem('rasd.token');
      checkToken().then(() => Promise.all([loadList(), panelOpen() ? openEvent(state.current.id) : null])).catch(showError);
      return;
    }
    $('signin-dialog').showModal();
  });
  $('signin-dialog').addEventListener('close', async () => {
    if ($('signin-dialog').returnValue !== 'ok') return;
    state.token = $('token').value.trim();
    $('token').value = '';
    sessionStorage.setItem('rasd.token', state.token);
    await checkToken();
    await loadList();
    if (panelOpen()) await openEvent(state.current.id);
  });
  $('correction').addEventListener('submit', saveCorrection);
  $('c-wrong').addEventListener('click', toggleWrong);
  $('merge').addEventListener('click', () => mergeSelected());
  window.addEventListener('resize', () => { if (plot) plot.setSize({ width: $('timeline').clientWidth, height: 130 }); });
}

(async function main() {
  wire();
  applyLanguage();
  try {
    await checkToken();
    await loadBoundaries();
    await refresh();
  } catch (err) { showError(err); }
  state.ready = true;
  document.body.dataset.ready = 'true';
})();
