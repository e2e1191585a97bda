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
// Every sub-type in both languages (English as ACLED names them).
const SUB_LABELS = {
  ar: {
    armed_clash: 'اشتباك مسلح', government_regains_territory: 'استعادة الحكومة السيطرة على منطقة',
    non_state_actor_overtakes_territory: 'سيطرة جهة غير حكومية على منطقة', chemical_weapon: 'سلاح كيميائي',
    air_drone_strike: 'غارة جوية أو بطائرة مسيّرة', suicide_bomb: 'تفجير انتحاري',
    shelling_artillery_missile_attack: 'قصف مدفعي أو صاروخي', remote_explosive_landmine_ied: 'عبوة ناسفة أو لغم',
    grenade: 'قنبلة يدوية', sexual_violence: 'عنف جنسي', attack: 'هجوم', abduction_forced_disappearance: 'خطف أو إخفاء قسري',
    peaceful_protest: 'احتجاج سلمي', protest_with_intervention: 'احتجاج تدخلت فيه السلطات',
    excessive_force_against_protesters: 'قوة مفرطة ضد المحتجين', violent_demonstration: 'مظاهرة عنيفة',
    mob_violence: 'عنف حشود', agreement: 'اتفاق', arrests: 'اعتقالات', change_to_group_activity: 'تغيّر في نشاط جماعة',
    disrupted_weapons_use: 'إحباط استخدام سلاح', headquarters_or_base_established: 'إنشاء مقر أو قاعدة',
    looting_property_destruction: 'نهب أو تدمير ممتلكات', non_violent_transfer_of_territory: 'انتقال السيطرة دون قتال',
    other: 'أخرى',
  },
  en: {
    armed_clash: 'Armed clash', government_regains_territory: 'Government regains territory',
    non_state_actor_overtakes_territory: 'Non-state actor overtakes territory', chemical_weapon: 'Chemical weapon',
    air_drone_strike: 'Air/drone strike', suicide_bomb: 'Suicide bomb',
    shelling_artillery_missile_attack: 'Shelling/artillery/missile attack', remote_explosive_landmine_ied: 'Remote explosive/landmine/IED',
    grenade: 'Grenade', sexual_violence: 'Sexual violence', attack: 'Attack', abduction_forced_disappearance: 'Abduction/forced disappearance',
    peaceful_protest: 'Peaceful protest', protest_with_intervention: 'Protest with intervention',
    excessive_force_against_protesters: 'Excessive force against protesters', violent_demonstration: 'Violent demonstration',
    mob_violence: 'Mob violence', agreement: 'Agreement', arrests: 'Arrests', change_to_group_activity: 'Change to group/activity',
    disrupted_weapons_use: 'Disrupted weapons use', headquarters_or_base_established: 'Headquarters or base established',
    looting_property_destruction: 'Looting/property destruction', non_violent_transfer_of_territory: 'Non-violent transfer of territory',
    other: 'Other',
  },
};
// What the map's circle sizes stand for (deaths), shown in the legend.
const SIZE_STEPS = [0, 5, 20, 50];
// Tick steps of the timeline's count axes: whole numbers only.
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
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
    export_view: 'تصدير المعروض (ACLED)', export_excel: 'ACLED لإكسل', legend_colours: 'اللون: نوع الحدث', legend_sizes: 'الحجم: عدد القتلى',
    legend_cluster: 'أحداث متقاربة مجمّعة (اضغط للتكبير)', legend: 'دليل الخريطة',
    deaths: n => `${n} قتيل`, open_event: 'فتح الحدث', close: 'إغلاق', published: 'النشر',
    precisions: { community: 'بلدة أو حي', subdistrict: 'ناحية', district: 'منطقة', governorate: 'محافظة', country: 'دولة' },
    date_precisions: { day: 'اليوم', week: 'الأسبوع', month: 'الشهر' },
    vague: { few: 'بضعة', several: 'عدة', dozens: 'عشرات', hundreds: 'مئات' },
    new: 'جديد', new_count: n => `${n} جديد`, new_clear: 'إزالة علامات «جديد» (وصلت منذ فتح الصفحة)',
    live_on: 'مباشر', live_retry: 'إعادة الاتصال…', live_off: 'التحديث المباشر متوقف',
    removed: 'حُذف هذا الحدث (أُعيد ترميز الخبر أو صُحّح)',
    locale: 'ar-SY-u-nu-latn',
  },
  en: {
    title: 'rasd', subtitle: 'conflict events from Arabic news', filters: 'Filters', date_from: 'From', date_to: 'To',
    event_type: 'Event type', sub_event_type: 'Sub-type', admin1: 'Governorate', actor: 'Actor', text: 'Text search',
    min_fatalities: 'Min. fatalities', include_wrong: 'Show events marked wrong', apply: 'Apply', reset: 'Reset',
    timeline: 'Timeline', timeline_hint: '(drag to select a period)', events: 'Events', export_acled: 'Export ACLED', export_ucdp: 'Export UCDP',
    export_geojson: 'GeoJSON', sign_in: 'Sign in', sign_out: 'Sign out', token: 'Token', cancel: 'Cancel', correct: 'Correct this event',
    note: 'Note', save: 'Save correction', mark_wrong: 'Mark wrong', unmark_wrong: 'Unmark wrong', saved: 'Correction saved',
    fatalities: 'Fatalities', injured: 'Injured', arrested: 'Arrested', date: 'Date', location: 'Location', actor1: 'Actor 1',
    actor2: 'Actor 2', precision: 'Precision', confidence: 'Confidence', source: 'Source', count: n => (n === 1 ? '1 event' : `${n} events`),
    page: (a, b) => `${a} / ${b}`, history: 'Change history', wrong: 'wrong', incident: 'Incident', none: '—',
    attribution: 'Boundaries: UN OCHA COD-AB via HDX, CC BY 3.0 IGO',
    types: { battles: 'Battles', explosions_remote_violence: 'Explosions/Remote violence', violence_against_civilians: 'Violence against civilians',
      protests: 'Protests', riots: 'Riots', strategic_developments: 'Strategic developments' },
    error: 'Error', all: 'All',
    partial: 'partial results: narrow the filter to see the rest',
    merge: 'Merge selected into one incident', picked: n => `${n} selected`, merged: 'Incidents merged into one',
    same_incident: 'The selected events are one incident already', select_event: 'Select for merging',
    incident_members: (id, n) => `Incident ${id} · ${n === 1 ? '1 event' : n + ' events'}`, detach: 'Detach from incident', detached: 'Event detached into an incident of its own',
    export_view: 'Export this view (ACLED)', export_excel: 'ACLED for Excel', legend_colours: 'Colour: event type', legend_sizes: 'Size: fatalities',
    legend_cluster: 'nearby events grouped (click to zoom in)', legend: 'Map legend',
    deaths: n => `${n} dead`, open_event: 'Open event', close: 'Close', published: 'Published',
    precisions: { community: 'town or quarter', subdistrict: 'subdistrict', district: 'district', governorate: 'governorate', country: 'country' },
    date_precisions: { day: 'day', week: 'week', month: 'month' },
    vague: { few: 'a few', several: 'several', dozens: 'dozens', hundreds: 'hundreds' },
    new: 'new', new_count: n => `${n} new`, new_clear: 'Clear the «new» marks (arrived since the page opened)',
    live_on: 'live', live_retry: 'reconnecting…', live_off: 'live updates off',
    removed: 'This event was removed (its report was re-coded or corrected)',
    locale: 'en-GB',
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

// Live updates from the change stream (see "live updates" below).
const live = {
  source: null,
  // the stream's cursor: the last change applied (sent back on a reconnection)
  cursor: null,
  // ids of events that arrived since the page opened and are not opened yet
  fresh: new Set(),
  // ids of events the filters on screen select (from the last map load)
  matching: new Set(),
  // entities changed since the last reload (`event:12`, `incident:inc-3`)
  touched: new Set(),
  timer: null, running: false, again: false, touchedAt: 0,
  status: 'off', retry: 1000, reloadOnHello: false,
};
state.live = live;

const $ = id => document.getElementById(id);
const t = key => I18N[state.lang][key];
const typeName = ty => (I18N[state.lang].types[ty] || ty);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const subName = s => (SUB_LABELS[state.lang][s] || s);
// An actor in the interface's language: the register's Arabic name in the Arabic UI.
const actorName = (name, ar) => (state.lang === 'ar' && ar ? ar : name);
// A place in the interface's language: the gazetteer's English name in the English UI.
const placeName = (name, en) => (state.lang === 'en' && en ? en : name);
// Dates and numbers are isolated from the text around them, so a right-to-left line
// never reorders their parts; the day is written by Intl in the interface's language.
function fmtDay(iso) {
  if (!iso) return '';
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return `<bdi dir="ltr">${esc(iso)}</bdi>`;
  const text = new Intl.DateTimeFormat(t('locale'), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  return `<bdi class="date" data-iso="${esc(iso)}">${esc(text)}</bdi>`;
}
function fmtSpan(a, b) {
  return b && b !== a ? `${fmtDay(a)} – ${fmtDay(b)}` : fmtDay(a);
}
// A timestamp as published («2024-03-14T10:20:00+03:00»): its day by Intl, its clock
// time and offset as written, left to right.
function fmtStamp(s) {
  if (!s) return '';
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:?\d{2})?)?/.exec(s);
  if (!m) return `<bdi dir="ltr">${esc(s)}</bdi>`;
  return fmtDay(m[1]) + (m[2] ? ` <bdi dir="ltr" class="time">${esc(m[2])}${m[3] ? ' ' + esc(m[3] === 'Z' ? 'UTC' : m[3]) : ''}</bdi>` : '');
}
function fmtNum(n) {
  return n == null ? esc(t('none')) : `<bdi class="num">${esc(new Intl.NumberFormat(t('locale')).format(n))}</bdi>`;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('title');
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  $('lang').textContent = state.lang === 'ar' ? 'English' : 'العربية';
  $('close-article').setAttribute('aria-label', t('close'));
  $('signin').textContent = state.user ? t('sign_out') : t('sign_in');
  fillTypeSelect();
  fillAdmin1Select();
  drawLegend();
  setLive(live.status);
  updateNewBadge();
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
  sel.innerHTML = `<option value="">${esc(t('all'))}</option>` + subs.map(s => `<option value="${s}">${esc(subName(s))}</option>`).join('');
  if (subs.includes(cur)) sel.value = cur;
}

function drawLegend() {
  const colours = Object.entries(TYPE_COLOURS)
    .map(([ty, c]) => `<div data-testid="legend-type"><i style="background:${c}"></i>${esc(typeName(ty))}</div>`).join('');
  const sizes = SIZE_STEPS.map(n => {
    const r = radius(n);
    return `<div class="size" data-testid="legend-size"><svg width="${2 * r + 2}" height="${2 * r + 2}" aria-hidden="true">
      <circle cx="${r + 1}" cy="${r + 1}" r="${r}" fill="#9aa5ae" stroke="#222" stroke-width="1"/></svg>${fmtNum(n)}</div>`;
  }).join('');
  const cluster = `<div data-testid="legend-cluster"><span class="marker-cluster marker-cluster-small legend-cluster"><span>3</span></span>${esc(t('legend_cluster'))}</div>`;
  $('legend').innerHTML = `<h3>${esc(t('legend_colours'))}</h3><div class="types">${colours}</div>`
    + `<h3>${esc(t('legend_sizes'))}</h3><div class="sizes">${sizes}</div>${cluster}`;
  $('legend').setAttribute('aria-label', t('legend'));
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
// A group holding an event that arrived since the page opened says so in words.
const clusters = L.markerClusterGroup({
  showCoverageOnHover: false, maxClusterRadius: 40,
  iconCreateFunction: cluster => {
    const n = cluster.getChildCount();
    const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
    const fresh = cluster.getAllChildMarkers().some(m => m.fresh);
    return L.divIcon({
      html: `<div><span>${n}</span></div>${fresh ? `<b class="new-label" data-testid="map-new">${esc(t('new'))}</b>` : ''}`,
      className: `marker-cluster marker-cluster-${size}${fresh ? ' has-new' : ''}`,
      iconSize: L.point(40, 40),
    });
  },
});
map.addLayer(clusters);
// The legend sits on the map it explains, where it is always in view.
const legendControl = L.control({ position: 'bottomright' });
legendControl.onAdd = () => {
  const el = $('legend');
  L.DomEvent.disableClickPropagation(el);
  L.DomEvent.disableScrollPropagation(el);
  return el;
};
legendControl.addTo(map);

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
  govs = gj.features.map(f => f.properties);
  fillAdmin1Select();
}

let govs = [];
// The governorate filter's values stay Arabic (the store's names); the labels follow
// the interface's language.
function fillAdmin1Select() {
  const sel = $('f-admin1');
  const cur = sel.value;
  const name = p => (state.lang === 'ar' ? p.name_ar : p.name_en);
  sel.innerHTML = `<option value="">${esc(t('all'))}</option>` + [...govs]
    .sort((a, b) => name(a).localeCompare(name(b), state.lang))
    .map(p => `<option value="${esc(p.name_ar)}">${esc(name(p))}</option>`).join('');
  sel.value = cur;
}

function radius(f) {
  return 6 + Math.min(18, 3 * Math.sqrt(f || 0));
}

// ---- view loads ----
// The map, the list and the timeline each draw the answer to their latest request
// only: a slower answer to an earlier one (a filter applied, then reset; a live reload
// overtaken by the reader's click) is dropped rather than drawn over the newer one.
// body[data-loading] counts the loads in flight: at 0, what is drawn is what the
// filters select (the browser test waits on it).
const loads = { map: 0, list: 0, timeline: 0, inFlight: 0 };
async function latest(part, request, draw) {
  const seq = ++loads[part];
  loads.inFlight++;
  document.body.dataset.loading = String(loads.inFlight);
  try {
    const answer = await request();
    if (seq === loads[part]) draw(answer);
  } finally {
    loads.inFlight--;
    document.body.dataset.loading = String(loads.inFlight);
  }
}

function loadMap() {
  const p = filterParams();
  p.set('limit', String(MAP_LIMIT));
  return latest('map', () => api(`/api/events.geojson?${p}`), drawMap);
}

function drawMap(gj) {
  clusters.clearLayers();
  const markers = [];
  let freshShown = 0;
  live.matching = new Set();
  for (const f of gj.features) {
    const pr = f.properties;
    live.matching.add(pr.id);
    if (!f.geometry) continue;
    const [lon, lat] = f.geometry.coordinates;
    const fresh = live.fresh.has(pr.id);
    const colour = TYPE_COLOURS[pr.event_type] || '#777';
    // An event that arrived since the page opened is a pin labelled «new» (a word,
    // not only a colour); the others are circles sized by their dead.
    const m = fresh
      ? L.marker([lat, lon], {
        icon: L.divIcon({
          className: `event-marker new-marker type-${pr.event_type}`, iconSize: null, iconAnchor: [10, 10],
          html: `<span class="pin" style="background:${colour}"></span><b class="new-label" data-testid="map-new">${esc(t('new'))}</b>`,
        }),
        keyboard: false,
      })
      : L.circleMarker([lat, lon], {
        radius: radius(pr.fatalities), color: '#222', weight: 1,
        fillColor: colour, fillOpacity: 0.85,
        className: `event-marker type-${pr.event_type}`,
      });
    m.fresh = fresh;
    if (fresh) freshShown++;
    m.bindTooltip(`${esc(subName(pr.sub_event_type))} · <bdi>${esc(placeName(pr.location_name, pr.location_en && pr.location_en.name))}</bdi> · ${fmtDay(pr.date_start)}`);
    m.on('click', () => openEvent(pr.id));
    m.eventId = pr.id;
    markers.push(m);
  }
  clusters.addLayers(markers);
  state.mapEvents = markers.length;
  document.body.dataset.mapEvents = String(markers.length);
  document.body.dataset.mapNew = String(freshShown);
  updateNewBadge();
}

// ---- list ----
function loadList() {
  const p = filterParams();
  p.set('limit', String(PAGE));
  p.set('offset', String(state.offset));
  p.set('sort', '-date');
  return latest('list', () => api(`/api/events?${p}`), drawList);
}

function drawList(page) {
  state.total = page.total;
  // A live update re-renders the list: keyboard focus stays on the same event.
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#event-list li');
  const focusId = focused ? focused.dataset.id : null;
  // a page cut short by the server's scan budget says so
  $('count').textContent = t('count')(page.total_exact ? page.total : page.total + '+') + (page.complete === false ? ` · ${t('partial')}` : '');
  const pages = Math.max(1, Math.ceil(page.total / PAGE));
  $('page').textContent = t('page')(Math.floor(state.offset / PAGE) + 1, pages);
  const pick = e => state.user
    ? `<input type="checkbox" class="pick" data-testid="pick-event" title="${esc(t('select_event'))}" aria-label="${esc(t('select_event'))}" ${state.selected.has(e.id) ? 'checked' : ''}>`
    : '';
  $('event-list').innerHTML = page.items.map(e => {
    const place = placeName(e.location.name, e.location.en && e.location.en.name);
    const fresh = live.fresh.has(e.id);
    const cls = [e.wrong ? 'wrong' : '', fresh ? 'new' : ''].filter(Boolean).join(' ');
    return `
    <li data-id="${e.id}" data-testid="event-item" tabindex="0" aria-label="${fresh ? esc(t('new')) + ' · ' : ''}${esc(subName(e.sub_event_type))} · ${esc(place)}" class="${cls}">${pick(e)}<div class="body">
      <div class="t">${fresh ? `<span class="new-mark" data-testid="new-mark">${esc(t('new'))}</span>` : ''}<span class="dot" style="background:${TYPE_COLOURS[e.event_type]}"></span><span data-testid="sub-label">${esc(subName(e.sub_event_type))}</span>
        · <bdi data-testid="place">${esc(place)}</bdi></div>
      <div class="d">${fmtSpan(e.date_start, e.date_end)}
        · <bdi data-testid="actors">${esc(actorName(e.actor1, e.actor1_ar))}</bdi>${e.actor2 ? ' / <bdi>' + esc(actorName(e.actor2, e.actor2_ar)) + '</bdi>' : ''}
        · ${esc(t('fatalities'))}: ${fmtNum(e.fatalities)}</div>
    </div></li>`;
  }).join('');
  document.querySelectorAll('#event-list li').forEach(li => {
    const id = Number(li.dataset.id);
    li.addEventListener('click', ev => { if (!ev.target.classList.contains('pick')) openEvent(id); });
    // The list works from the keyboard: Enter or Space opens, the arrows move.
    li.addEventListener('keydown', ev => {
      if (ev.target !== li) return;
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openEvent(id); }
      else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        const next = ev.key === 'ArrowDown' ? li.nextElementSibling : li.previousElementSibling;
        if (next) next.focus();
      } else if (ev.key === 'Home' || ev.key === 'End') {
        ev.preventDefault();
        const all = $('event-list').children;
        if (all.length) all[ev.key === 'Home' ? 0 : all.length - 1].focus();
      }
    });
    const box = li.querySelector('input.pick');
    if (box) box.addEventListener('change', () => {
      if (box.checked) state.selected.add(id); else state.selected.delete(id);
      updateMergeBar('');
    });
  });
  if (focusId != null) {
    const again = document.querySelector(`#event-list li[data-id="${focusId}"]`);
    if (again) again.focus({ preventScroll: true });
  }
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
  $('incident-title').innerHTML = esc(t('incident_members')(ev.incident_id, ids.length)).replace(esc(ev.incident_id), `<bdi dir="ltr">${esc(ev.incident_id)}</bdi>`);
  // a few members are enough to choose from; big incidents are split through the API
  const shown = ids.slice(0, 20);
  const members = await Promise.all(shown.map(id => (id === ev.id ? Promise.resolve(ev) : api(`/api/events/${id}`))));
  const canSplit = state.user && ids.length > 1;
  $('incident-members').innerHTML = members.map(m => `
    <li data-id="${m.id}" data-testid="incident-member" class="${m.id === ev.id ? 'current' : ''}">
      <span class="m">#<bdi>${m.id}</bdi> · <bdi>${esc(placeName(m.event.location.name, m.location_en && m.location_en.name))}</bdi> · ${fmtDay(m.event.date_start)} · <bdi>${esc(m.article.source || m.doc_id)}</bdi></span>
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
function loadTimeline() {
  const p = filterParams();
  // the timeline shows the whole period so a selection can be widened again
  p.delete('from'); p.delete('to');
  p.set('bucket', 'day');
  return latest('timeline', () => api(`/api/stats?${p}`), drawTimeline);
}

function drawTimeline(stats) {
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
    // events and deaths on their own scales: a day with one event stays visible beside one with many dead
    scales: { x: { time: true }, n: { range: (u, lo, hi) => [0, Math.max(1, hi)] }, f: { range: (u, lo, hi) => [0, Math.max(1, hi)] } },
    // axis labels in the interface's language (uPlot's own are English)
    axes: [{
      stroke: '#556',
      space: 70,
      // the month (or the day on a short span), and the year where it changes
      values: (u, splits) => {
        const span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
        const f = new Intl.DateTimeFormat(t('locale'), span > 86400 * 120
          ? { month: 'short', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' });
        const y = new Intl.DateTimeFormat(t('locale'), { year: 'numeric', timeZone: 'UTC' });
        let last = null;
        return splits.map(v => {
          const d = new Date(v * 1000);
          const year = d.getUTCFullYear();
          const label = f.format(d) + (year !== last ? '\n' + y.format(d) : '');
          last = year;
          return label;
        });
      },
    }, { scale: 'n', stroke: '#1f5f8b', incrs: COUNT_STEPS, values: (u, splits) => splits.map(v => new Intl.NumberFormat(t('locale')).format(v)) },
    { scale: 'f', side: 1, stroke: '#c0392b', grid: { show: false }, incrs: COUNT_STEPS, values: (u, splits) => splits.map(v => new Intl.NumberFormat(t('locale')).format(v)) }],
    series: [{}, { label: t('events'), scale: 'n', stroke: '#1f5f8b', fill: '#1f5f8b66', paths: uPlot.paths.bars({ size: [0.8, 20, 5] }) },
      // deaths as points: a line would join days that are months apart as if deaths fell in between
      { label: t('fatalities'), scale: 'f', stroke: '#c0392b', width: 1.5, paths: () => null, points: { show: true, size: 7, fill: '#c0392b' } }],
    hooks: {
      setSelect: [u => {
        if (u.select.width < 2) return;
        const a = u.posToVal(u.select.left, 'x');
        const b = u.posToVal(u.select.left + u.select.width, 'x');
        const day = s => new Date(s * 1000).toISOString().slice(0, 10);
        $('f-from').value = day(a);
        $('f-to').value = day(b);
        state.offset = 0;
        updateExports();
        writeRoute(false);
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

// ---- deep links: #/event/ID, #/incident/ID, with the filters as the query ----
const FILTER_INPUTS = { from: 'f-from', to: 'f-to', type: 'f-type', sub_type: 'f-sub', admin1: 'f-admin1', actor: 'f-actor', q: 'f-q', min_fatalities: 'f-minfat' };

function parseRoute(hash) {
  const m = /^#\/(?:(event|incident)\/([^?]*))?(?:\?(.*))?$/.exec(hash || '');
  if (!m) return { view: null, params: new URLSearchParams() };
  const view = m[1] && m[2] ? { kind: m[1], id: decodeURIComponent(m[2]) } : null;
  return { view, params: new URLSearchParams(m[3] || '') };
}

function routeHash(view) {
  const p = filterParams();
  const path = view ? `/${view.kind}/${encodeURIComponent(view.id)}` : '/';
  const q = p.toString();
  return `#${path}${q ? '?' + q : ''}`;
}

// The address bar always says what is on screen, so it can be sent to a colleague.
function writeRoute(push) {
  const h = routeHash(state.view);
  if (location.hash === h) return;
  if (push) history.pushState(null, '', h); else history.replaceState(null, '', h);
}

function setFilters(params) {
  $('f-type').value = params.get('type') || '';
  fillSubSelect();
  for (const [key, id] of Object.entries(FILTER_INPUTS)) $(id).value = params.get(key) || '';
  $('f-wrong').checked = params.get('include_wrong') === 'true';
}

async function followRoute() {
  const { view, params } = parseRoute(location.hash);
  setFilters(params);
  await refresh(false);
  if (!view) { closePanel(false); return; }
  if (view.kind === 'event') await openEvent(Number(view.id), { push: false });
  else await openIncident(view.id, { push: false });
}

async function openIncident(label, opts = {}) {
  try {
    const inc = await api(`/api/incidents/${encodeURIComponent(label)}`);
    const first = (inc.event_ids || [])[0];
    if (first == null) throw new Error(label);
    await openEvent(first, { push: opts.push, view: { kind: 'incident', id: label } });
  } catch (err) { showError(err); }
}

function closePanel(write = true) {
  $('article-panel').hidden = true;
  state.closedAt = performance.now();
  const id = state.current && state.current.id;
  state.view = null;
  if (write) writeRoute(true);
  const li = id != null && document.querySelector(`#event-list li[data-id="${id}"]`);
  if (li) li.focus();
}

async function openEvent(id, opts = {}) {
  const started = performance.now();
  if (!opts.live) state.openedAt = started;
  markSeen(id);
  try {
    const ev = await api(`/api/events/${id}`);
    if ((opts.live || opts.again) && (state.closedAt || 0) > started) return;
    state.current = ev;
    if (!opts.live) {
      state.view = opts.view || { kind: 'event', id: String(id) };
      writeRoute(opts.push !== false);
    }
    document.querySelectorAll('#event-list li').forEach(li => li.classList.toggle('active', Number(li.dataset.id) === id));
    const art = await api(`/api/articles/${encodeURIComponent(ev.doc_id)}`);
    $('article-title').textContent = art.title || ev.doc_id;
    $('article-meta').innerHTML = [art.source ? `<bdi>${esc(art.source)}</bdi>` : '', art.published ? `${esc(t('published'))}: ${fmtStamp(art.published)}` : '',
      art.url ? `<bdi dir="ltr">${esc(art.url)}</bdi>` : ''].filter(Boolean).join(' · ');
    const e = ev.event;
    const en = ev.location_en || {};
    const names = ev.actors_ar || {};
    const actor = a => `<bdi>${esc(actorName(a, names[a]))}</bdi>`;
    const corrected = new Set(ev.corrections.filter(c => c.field).map(c => c.field));
    // values are HTML built from escaped parts (dates and numbers isolated)
    const row = (key, label, html) => `<tr class="${corrected.has(key) ? 'corrected' : ''}" data-field="${key}"><th>${esc(label)}</th><td>${html || esc(t('none'))}</td></tr>`;
    const vague = v => (v ? esc(I18N[state.lang].vague[v] || v) : '');
    const figure = (n, v) => (n != null ? fmtNum(n) : vague(v));
    const where = state.lang === 'en'
      ? [en.name || e.location.name, en.admin2, en.admin1]
      : [e.location.name, e.location.admin2, e.location.admin1];
    $('event-detail').innerHTML = `<table>
      ${row('event_type', t('event_type'), `${esc(typeName(e.event_type))} / <span data-testid="detail-sub">${esc(subName(e.sub_event_type))}</span>`)}
      ${row('date_start', t('date'), `${fmtSpan(e.date_start, e.date_end)} (${esc(I18N[state.lang].date_precisions[e.date_precision] || e.date_precision)})`)}
      ${row('location.name', t('location'), `<bdi data-testid="detail-place">${esc(where.filter(Boolean).join(state.lang === 'ar' ? '، ' : ', '))}</bdi> (${esc(I18N[state.lang].precisions[e.location.precision] || e.location.precision)})`)}
      ${row('actor1', t('actor1'), [e.actor1, ...(e.assoc_actor1 || [])].map(actor).join(state.lang === 'ar' ? '، ' : ', '))}
      ${row('actor2', t('actor2'), [e.actor2, ...(e.assoc_actor2 || [])].filter(Boolean).map(actor).join(state.lang === 'ar' ? '، ' : ', '))}
      ${row('fatalities', t('fatalities'), figure(e.fatalities, e.fatalities_vague))}
      ${row('injured', t('injured'), figure(e.injured, e.injured_vague))}
      ${row('arrested', t('arrested'), figure(e.arrested, e.arrested_vague))}
      ${ev.incident_id != null ? row('incident', t('incident'), `<bdi dir="ltr">${esc(ev.incident_id)}</bdi>`) : ''}
      ${ev.wrong ? row('wrong', t('wrong'), '✔') : ''}
    </table>`;
    $('history').innerHTML = ev.corrections.length
      ? `<b>${esc(t('history'))}</b><ul>` + ev.corrections.map(c => `<li data-testid="history-item">${fmtStamp(c.created_at)} · <bdi>${esc(c.user)}</bdi> · ${esc(c.field || c.kind)} → ${esc(JSON.stringify(c.value))}${c.note ? ' · ' + esc(c.note) : ''}</li>`).join('') + '</ul>'
      : '';
    const mine = art.events.find(x => x.id === id) || { evidence: [], fields: [] };
    const fieldSpans = mine.fields.map(f => ({ start: f.span.start, end: f.span.end, label: f.field }));
    $('article-text').innerHTML = highlight(art.text, mine.evidence.map(s => ({ start: s.start, end: s.end })), fieldSpans);
    fillCorrection(e, ev.wrong);
    await showIncident(ev);
    // A live refresh (or one in a new language) never reopens a panel the reader
    // closed while it was loading.
    if ((opts.live || opts.again) && (state.closedAt || 0) > started) return;
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

// The export links carry the filters on screen: what they download is what is shown.
function updateExports() {
  const q = filterParams();
  const sep = q.toString() ? '&' : '';
  $('export-acled').href = `/api/export/acled.csv?${q}`;
  $('export-excel').href = `/api/export/acled.csv?${q}${sep}excel=true`;
  $('export-ucdp').href = `/api/export/ucdp.csv?${q}`;
  $('export-geojson').href = `/api/events.geojson?${q}`;
}

// ---- live updates: the change stream (/api/stream) ----
// Every change (a new item, re-coding, a correction, a wrong mark, a merge or a split)
// reloads what the filters select, so new events appear, changed ones change and
// deleted ones go, in the list, on the map and in the timeline. An event created since
// the page opened is marked «new» (a word, for screen readers and colour-blind readers
// alike) until it is opened or the marks are cleared.
function setLive(status) {
  live.status = status;
  const el = $('live');
  el.dataset.state = status;
  el.textContent = t(status === 'on' ? 'live_on' : status === 'retry' ? 'live_retry' : 'live_off');
}

function updateNewBadge() {
  const n = [...live.fresh].filter(id => live.matching.has(id)).length;
  const b = $('new-badge');
  b.hidden = n === 0;
  b.textContent = t('new_count')(n);
  b.title = t('new_clear');
  document.body.dataset.newEvents = String(n);
}

function openStream() {
  if (live.source) live.source.close();
  const es = new EventSource(live.cursor != null ? `/api/stream?since=${live.cursor}` : '/api/stream');
  live.source = es;
  es.addEventListener('hello', ev => {
    live.cursor = Number(ev.lastEventId);
    live.retry = 1000;
    setLive('on');
    // after a 410 the stream starts from now: read the view again once it has
    if (live.reloadOnHello) { live.reloadOnHello = false; scheduleReload(true); }
  });
  es.addEventListener('change', ev => {
    live.cursor = Number(ev.lastEventId);
    let c;
    try { c = JSON.parse(ev.data); } catch { return; }
    if (c.entity === 'event') {
      if (c.op === 'created') live.fresh.add(c.id);
      else if (c.op === 'deleted') live.fresh.delete(c.id);
    }
    if (!live.touched.size) live.touchedAt = performance.now();
    live.touched.add(`${c.entity}:${c.id}`);
    scheduleReload(false);
  });
  // The stream fell below what the compacted change log keeps: read everything again.
  es.addEventListener('gone', () => {
    es.close();
    live.cursor = null;
    live.reloadOnHello = true;
    openStream();
  });
  es.onerror = () => {
    // While the connection can be had again the browser reconnects by itself,
    // sending the last id as Last-Event-ID, so nothing is missed.
    if (es.readyState !== EventSource.CLOSED) { setLive('retry'); return; }
    es.close();
    setLive('off');
    setTimeout(() => resumeStream().catch(showError), live.retry);
    live.retry = Math.min(live.retry * 2, 30000);
  };
}

// The browser gave up on the stream (the server was down, or refused the cursor).
// A cursor older than the change log keeps is answered 410 Gone: everything on screen
// is then read again, and the stream follows from now.
async function resumeStream() {
  if (live.cursor != null) {
    let res;
    try { res = await fetch(`/api/changes?since=${live.cursor}&limit=1`); } catch { res = null; }
    if (res && res.status === 410) { live.cursor = null; live.reloadOnHello = true; }
    else if (!res || !res.ok) {
      setTimeout(() => resumeStream().catch(showError), live.retry);
      live.retry = Math.min(live.retry * 2, 30000);
      return;
    }
  }
  openStream();
}

// Changes come in bursts (an item's events, then their incidents): one reload per burst.
function scheduleReload(now) {
  if (live.timer) return;
  live.timer = setTimeout(() => { live.timer = null; runReload().catch(showError); }, now ? 0 : 300);
}

async function runReload() {
  if (live.running) { live.again = true; return; }
  live.running = true;
  const touched = live.touched;
  const since = live.touchedAt;
  live.touched = new Set();
  try {
    await Promise.all([loadMap(), loadList(), loadTimeline()]);
    await refreshPanel(touched, since);
  } finally {
    live.running = false;
    if (live.again) { live.again = false; scheduleReload(false); }
  }
}

// The open event, when it or its incident changed: shown again, or said to be gone.
// An analyst typing a correction is not interrupted, and a panel opened since the
// changes arrived (after the analyst's own write, say) already shows them.
async function refreshPanel(touched, since) {
  if (!panelOpen() || state.openedAt > since) return;
  const cur = state.current;
  const hit = touched.has(`event:${cur.id}`) || (cur.incident_id != null && touched.has(`incident:${cur.incident_id}`));
  if (!hit || $('correction').contains(document.activeElement)) return;
  const res = await fetch(`/api/events/${cur.id}`);
  // closed or moved on meanwhile: nothing to show again
  if (!panelOpen() || state.current !== cur || state.openedAt > since) return;
  if (res.status === 404) {
    $('event-detail').insertAdjacentHTML('afterbegin', `<p class="removed" role="alert" data-testid="removed">${esc(t('removed'))}</p>`);
    $('correction').hidden = true;
    return;
  }
  await openEvent(cur.id, { push: false, view: state.view, live: true });
}

// Opening an event is reading it: it is no longer new.
function markSeen(id) {
  if (!live.fresh.delete(id)) return;
  const li = document.querySelector(`#event-list li[data-id="${id}"]`);
  if (li) {
    li.classList.remove('new');
    const mark = li.querySelector('.new-mark');
    if (mark) mark.remove();
  }
  loadMap().catch(showError);
}

async function refresh(write = true) {
  state.offset = 0;
  updateExports();
  if (write) writeRoute(false);
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
  $('close-article').addEventListener('click', () => closePanel());
  document.addEventListener('keydown', ev => {
    if (ev.key === 'Escape' && !$('article-panel').hidden && !$('signin-dialog').open) closePanel();
  });
  window.addEventListener('hashchange', () => followRoute().catch(showError));
  window.addEventListener('popstate', () => followRoute().catch(showError));
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'ar' ? 'en' : 'ar';
    localStorage.setItem('rasd.lang', state.lang);
    applyLanguage();
    // the open event is shown again in the new language, unless the reader closes it meanwhile
    refresh().then(() => (panelOpen() ? openEvent(state.current.id, { push: false, view: state.view, again: true }) : null)).catch(showError);
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
  $('new-badge').addEventListener('click', () => {
    live.fresh.clear();
    // the counter goes at once; the list and the map lose their marks as they reload
    updateNewBadge();
    Promise.all([loadList(), loadMap()]).catch(showError);
  });
  window.addEventListener('resize', () => { if (plot) plot.setSize({ width: $('timeline').clientWidth, height: 130 }); });
}

(async function main() {
  wire();
  applyLanguage();
  try {
    await checkToken();
    // The stream first: whatever changes while the view loads reaches it afterwards.
    openStream();
    await loadBoundaries();
    await followRoute();
  } catch (err) { showError(err); }
  state.ready = true;
  document.body.dataset.ready = 'true';
})();
