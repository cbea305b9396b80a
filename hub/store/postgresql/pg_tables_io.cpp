// Whole tables in and out, for `hub store copy`.
#include "hub/store/postgresql/pg_store.h"

namespace hub::store::pg {
std::int64_t PgTables::rowCount(const std::string& table) {
  return pool_.read([&](Connection& c) { return c.query("SELECT COUNT(*) FROM " + table).i64(0, 0); });
}

void PgTables::scan(const TableSpec& t, std::size_t size,
                    const std::function<void(const std::vector<TableRow>&)>& batch) {
  // A repeatable-read transaction and a cursor: the copy sees one state of
  // the store and streams it, whatever the table's size.
  pool_.transaction([&](Connection& c) {
    c.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    c.script("DECLARE hub_copy NO SCROLL CURSOR FOR SELECT " + columnList(t) + " FROM " + t.name);
    while (true) {
      const auto r = c.run("FETCH " + std::to_string(size) + " FROM hub_copy");
      if (r.empty()) break;
      std::vector<TableRow> rows;
      for (int i = 0; i < r.rows(); ++i) {
        TableRow row;
        for (int col = 0; col < static_cast<int>(t.columns.size()); ++col)
          row.push_back(r.isNull(i, col) ? std::nullopt : std::optional(r.text(i, col)));
        rows.push_back(std::move(row));
      }
      batch(rows);
    }
    c.script("CLOSE hub_copy");
  });
}

void PgTables::load(const TableSpec& t, const std::vector<TableRow>& rows) {
  if (rows.empty()) return;
  pool_.transaction([&](Connection& c) {
    // Many rows per statement: one round trip per hundred rows, not per row.
    constexpr std::size_t kPerStatement = 100;
    for (std::size_t start = 0; start < rows.size(); start += kPerStatement) {
      const std::size_t end = std::min(rows.size(), start + kPerStatement);
      std::string sql = "INSERT INTO " + t.name + " (" + columnList(t) + ") VALUES ";
      std::vector<Param> params;
      for (std::size_t r = start; r < end; ++r) {
        sql += r == start ? "(" : ", (";
        for (std::size_t col = 0; col < t.columns.size(); ++col) {
          params.push_back(rows[r][col]);
          sql += (col ? ", $" : "$") + std::to_string(params.size());
        }
        sql += ")";
      }
      c.run(sql, params);
    }
    // Rows inserted with their ids: the identity counter continues after them.
    if (t.identity)
      c.run("SELECT setval(pg_get_serial_sequence('" + t.name + "', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM " +
            t.name + "), false)");
  });
}

}  // namespace hub::store::pg
