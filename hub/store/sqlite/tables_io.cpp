// Whole tables in and out, for `hub store copy`.
#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {
std::int64_t SqliteTables::rowCount(const std::string& table) {
  return db_.read([&] {
    auto st = db_.prepareUncached("SELECT COUNT(*) FROM " + table);
    st.step();
    return st.i64(0);
  });
}

void SqliteTables::scan(const TableSpec& t, std::size_t size,
                        const std::function<void(const std::vector<TableRow>&)>& batch) {
  // One read transaction: the copy sees one state of the store.
  db_.read([&] {
    db_.exec("BEGIN");
    try {
      auto st = db_.prepareUncached("SELECT " + columnList(t) + " FROM " + t.name);
      std::vector<TableRow> rows;
      while (st.step()) {
        TableRow row;
        for (int c = 0; c < static_cast<int>(t.columns.size()); ++c)
          row.push_back(st.isNull(c) ? std::nullopt : std::optional(st.text(c)));
        rows.push_back(std::move(row));
        if (rows.size() >= size) {
          batch(rows);
          rows.clear();
        }
      }
      if (!rows.empty()) batch(rows);
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  });
}

void SqliteTables::load(const TableSpec& t, const std::vector<TableRow>& rows) {
  std::string marks;
  for (std::size_t i = 0; i < t.columns.size(); ++i) marks += (i ? ", ?" : "?") + std::to_string(i + 1);
  const std::string sql = "INSERT INTO " + t.name + " (" + columnList(t) + ") VALUES (" + marks + ")";
  db_.transaction([&] {
    for (const auto& row : rows) {
      auto st = db_.prepare(sql);
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (row[c]) st.bind(static_cast<int>(c + 1), *row[c]); else st.bindNull(static_cast<int>(c + 1));
      }
      st.run();
    }
  });
}

}  // namespace hub::store::sqlite
