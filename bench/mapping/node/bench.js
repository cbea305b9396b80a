// The mapping of ../kingdee_sales_order.yaml (canonical sales order -> Kingdee
// SAL_SaleOrder) done twice under Node: field expressions evaluated with npm
// `jmespath`, and one `jsonata` expression. Both produce exactly
// ../data/expected_document.json (checked before timing), so the work matches
// the hub's: the same lookups, value tables, xref, exact decimals, dates.
//
//   cd bench/mapping/node && npm install && node bench.js [seconds]
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const jmespath = require('jmespath');
const jsonata = require('jsonata');

const dataDir = path.join(__dirname, '..', 'data');
const readJson = (f) => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'));
const order = readJson('sales_order.json');
const expected = readJson('expected_document.json');
const fixtures = readJson('xref.json');
const seconds = Number(process.argv[2] || 3);

// Value tables, as declared in kingdee_sales_order.yaml.
const tables = {
  orgs: {SH01: '101', BJ01: '102', GZ01: '103'},
  depts: {'EAST-KA': 'BM0012', 'EAST-RT': 'BM0013', 'NORTH-KA': 'BM0021'},
  currencies: {CNY: 'PRE001', USD: 'PRE007'},
  units: {'箱': 'XIANG', '瓶': 'PING', '件': 'JIAN', '袋': 'DAI', '桶': 'TONG'},
  warehouses: {'SH-WH1': 'CK001', 'SH-WH2': 'CK002', 'BJ-WH1': 'CK010'},
};

// --- the hub functions, in JavaScript -------------------------------------
const xrefIndex = new Map();
for (const [entity, systems] of Object.entries(fixtures))
  for (const [system, ids] of Object.entries(systems))
    for (const [id, hit] of Object.entries(ids)) xrefIndex.set(`${entity}\u0000${system}\u0000${id}`, hit);

function xref(entity, system, id, which) {
  if (id === null || id === undefined) return undefined;
  const hit = xrefIndex.get(`${entity}\u0000${system}\u0000${id}`);
  if (!hit) throw new Error(`unresolved ${entity} ${id}`);
  return which === 'number' ? hit.number : hit.id;
}

function mapValue(table, key) {
  if (key === null || key === undefined) return undefined;
  const v = tables[table][key];
  if (v === undefined) throw new Error(`unknown code ${key} in ${table}`);
  return v;
}

// Exact decimals with BigInt: parse the shortest digits of a number (or a
// numeric string), round half-up to `scale`, back to a Number.
function parseDecimal(x) {
  const s = typeof x === 'number' ? String(x) : x;
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = m[3] || '';
  let mant = BigInt((m[2] || '0') + frac);
  let scale = frac.length - Number(m[4] || 0);
  if (scale < 0) {
    mant *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return {mant: m[1] === '-' ? -mant : mant, scale};
}
function rescale(d, scale) {
  if (scale >= d.scale) return {mant: d.mant * 10n ** BigInt(scale - d.scale), scale};
  const div = 10n ** BigInt(d.scale - scale);
  const neg = d.mant < 0n;
  const a = neg ? -d.mant : d.mant;
  let q = a / div;
  if ((a % div) * 2n >= div) q += 1n;
  return {mant: neg ? -q : q, scale};
}
function decimalField(x, scale) {
  if (x === null || x === undefined) return undefined;
  const d = rescale(parseDecimal(x), scale);
  return Number(d.mant) / 10 ** scale;
}
function mul(a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  const x = parseDecimal(a), y = parseDecimal(b);
  return {mant: x.mant * y.mant, scale: x.scale + y.scale};
}
const mulField = (a, b, scale) => {
  const p = mul(a, b);
  return p === undefined ? undefined : Number(rescale(p, scale).mant) / 10 ** scale;
};

// Asia/Shanghai has had no daylight saving time since 1991: a fixed +08:00.
const pad = (n, w = 2) => String(n).padStart(w, '0');
function dateFormat(iso) {
  const t = new Date(iso).getTime() + 8 * 3600 * 1000;
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
         `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
function dateOnly(s) {
  if (s === null || s === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`not a date: ${s}`);
  return s;
}
const blank = (v) => v === null || v === undefined || v === '';
const coalesce = (...vs) => vs.find((v) => !blank(v));
const orUndefined = (v) => (v === null || v === undefined ? undefined : v);

// --- jmespath: one search per source expression, as the mapping declares it ---
const S = (data, expr) => jmespath.search(data, expr);

function setPath(doc, dotted, value) {
  if (value === undefined) return;
  const parts = dotted.split('.');
  let o = doc;
  for (let i = 0; i < parts.length - 1; i++) o = o[parts[i]] || (o[parts[i]] = {});
  o[parts[parts.length - 1]] = value;
}

function mapWithJmespath(r) {
  const doc = {};
  setPath(doc, 'FBillTypeID.FNUMBER', 'XSDD01_SYS');
  setPath(doc, 'FBillNo', orUndefined(S(r, 'order_no')));
  setPath(doc, 'FDate', dateFormat(S(r, 'order_date')));
  setPath(doc, 'FSaleOrgId.FNumber', mapValue('orgs', S(r, 'sales_org')));
  setPath(doc, 'FCustId.FNumber', xref('customer', 'kingdee', S(r, 'customer_id'), 'number'));
  setPath(doc, 'FReceiveId.FNumber', xref('customer', 'kingdee', S(r, 'customer_id'), 'number'));
  setPath(doc, 'FSaleDeptId.FNumber', mapValue('depts', S(r, 'sales_dept')));
  setPath(doc, 'FSalerId.FNumber', xref('employee', 'kingdee', S(r, 'salesperson_id'), 'number'));
  setPath(doc, 'FNote', orUndefined(S(r, 'remark')));
  setPath(doc, 'FReceiveAddress',
          S(r, '[delivery_address.province, delivery_address.city, delivery_address.district, delivery_address.street]')
              .filter((x) => x !== null).join(''));
  setPath(doc, 'FReceiveContact', orUndefined(S(r, 'delivery_address.contact')));
  setPath(doc, 'FReceiveTel', orUndefined(S(r, 'delivery_address.phone')));
  setPath(doc, 'F_HUB_SourceId', orUndefined(S(r, 'source_id')));
  setPath(doc, 'FSaleOrderFinance.FSettleCurrId.FNumber', mapValue('currencies', S(r, 'currency')));
  setPath(doc, 'FSaleOrderFinance.FExchangeRate', decimalField(S(r, 'exchange_rate') ?? 1, 6));
  setPath(doc, 'FSaleOrderFinance.FIsIncludedTax', orUndefined(S(r, 'price_includes_tax')));
  setPath(doc, 'FSaleOrderFinance.FBillAllAmount', decimalField(S(r, 'total_amount'), 2));
  setPath(doc, 'FSaleOrderFinance.FBillTaxAmount', decimalField(S(r, 'total_tax'), 2));
  const lines = S(r, 'lines');
  doc.FSaleOrderEntry = lines.map((l, i) => {
    const e = {};
    setPath(e, 'FSeq', i + 1);
    setPath(e, 'FMaterialId.FNumber', xref('product', 'kingdee', S(l, 'sku'), 'number'));
    setPath(e, 'FUnitID.FNumber', mapValue('units', S(l, 'unit')));
    setPath(e, 'FPriceUnitId.FNumber', mapValue('units', S(l, 'unit')));
    setPath(e, 'FQty', decimalField(S(l, 'qty'), 4));
    setPath(e, 'FPrice', decimalField(S(l, 'unit_price'), 6));
    setPath(e, 'FTaxPrice', decimalField(S(l, 'unit_price_incl_tax'), 6));
    setPath(e, 'FEntryTaxRate', mulField(S(l, 'tax_rate'), 100, 2));
    setPath(e, 'FDiscountRate', mulField(S(l, 'discount_rate'), 100, 2));
    setPath(e, 'FAllAmount', decimalField(S(l, 'amount_incl_tax'), 2));
    setPath(e, 'FStockId.FNumber', mapValue('warehouses', coalesce(S(l, 'warehouse_code'), S(r, 'warehouse_code'))));
    setPath(e, 'FLot.FNumber', orUndefined(S(l, 'batch_no')));
    setPath(e, 'FDeliveryDate', dateOnly(coalesce(S(l, 'delivery_date'), S(r, 'delivery_date'))));
    setPath(e, 'FIsFree', orUndefined(S(l, 'is_gift')));
    setPath(e, 'FEntryNote', blank(S(l, 'remark')) ? undefined : S(l, 'remark'));
    return e;
  });
  return doc;
}

// --- jsonata: the whole document as one expression ---------------------------
const jsonataExpr = jsonata(`{
  "FBillTypeID": {"FNUMBER": "XSDD01_SYS"},
  "FBillNo": order_no,
  "FDate": $dateFormat(order_date),
  "FSaleOrgId": {"FNumber": $mapValue("orgs", sales_org)},
  "FCustId": {"FNumber": $xref("customer", "kingdee", customer_id, "number")},
  "FReceiveId": {"FNumber": $xref("customer", "kingdee", customer_id, "number")},
  "FSaleDeptId": {"FNumber": $mapValue("depts", sales_dept)},
  "FSalerId": {"FNumber": $xref("employee", "kingdee", salesperson_id, "number")},
  "FNote": remark,
  "FReceiveAddress": $join([delivery_address.province, delivery_address.city, delivery_address.district, delivery_address.street]),
  "FReceiveContact": delivery_address.contact,
  "FReceiveTel": delivery_address.phone,
  "F_HUB_SourceId": source_id,
  "FSaleOrderFinance": {
    "FSettleCurrId": {"FNumber": $mapValue("currencies", currency)},
    "FExchangeRate": $decimal(exchange_rate ? exchange_rate : 1, 6),
    "FIsIncludedTax": price_includes_tax,
    "FBillAllAmount": $decimal(total_amount, 2),
    "FBillTaxAmount": $decimal(total_tax, 2)
  },
  "FSaleOrderEntry": [$map(lines, function($l, $i) {{
    "FSeq": $i + 1,
    "FMaterialId": {"FNumber": $xref("product", "kingdee", $l.sku, "number")},
    "FUnitID": {"FNumber": $mapValue("units", $l.unit)},
    "FPriceUnitId": {"FNumber": $mapValue("units", $l.unit)},
    "FQty": $decimal($l.qty, 4),
    "FPrice": $decimal($l.unit_price, 6),
    "FTaxPrice": $decimal($l.unit_price_incl_tax, 6),
    "FEntryTaxRate": $mul($l.tax_rate, 100, 2),
    "FDiscountRate": $mul($l.discount_rate, 100, 2),
    "FAllAmount": $decimal($l.amount_incl_tax, 2),
    "FStockId": {"FNumber": $mapValue("warehouses", $coalesce($l.warehouse_code, $$.warehouse_code))},
    "FLot": {"FNumber": $l.batch_no},
    "FDeliveryDate": $dateOnly($coalesce($l.delivery_date, $$.delivery_date)),
    "FIsFree": $l.is_gift,
    "FEntryNote": $coalesce($l.remark)
  }})]
}`);
jsonataExpr.registerFunction('xref', xref);
jsonataExpr.registerFunction('mapValue', mapValue);
jsonataExpr.registerFunction('decimal', decimalField);
jsonataExpr.registerFunction('mul', mulField);
jsonataExpr.registerFunction('dateFormat', dateFormat);
jsonataExpr.registerFunction('dateOnly', dateOnly);
jsonataExpr.registerFunction('coalesce', (...vs) => coalesce(...vs));

const mapWithJsonata = (r) => jsonataExpr.evaluate(r);

// --- timing ----------------------------------------------------------------
const normalise = (doc) => JSON.parse(JSON.stringify(doc));

async function measure(name, fn) {
  assert.deepStrictEqual(normalise(await fn(order)), expected, `${name} output differs from expected_document.json`);
  for (let i = 0; i < 200; i++) await fn(order);  // warm up the JIT
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 50; i++) await fn(order);
    n += 50;
    elapsed = process.hrtime.bigint() - start;
  }
  const perSecond = n / (Number(elapsed) / 1e9);
  console.log(`${name.padEnd(10)} ${perSecond.toFixed(0).padStart(8)} orders/s  (${n} orders, ${(Number(elapsed) / 1e9).toFixed(2)} s)`);
  return perSecond;
}

(async () => {
  console.log(`node ${process.version}, jmespath ${require('jmespath/package.json').version}, ` +
              `jsonata ${require('jsonata/package.json').version}; same output as expected_document.json`);
  await measure('jmespath', async (r) => mapWithJmespath(r));
  await measure('jsonata', mapWithJsonata);
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
