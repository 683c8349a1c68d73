#include "csd/io/csv.h"

#include <cmath>
#include <cstdio>

#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::io {

CsvWriter::CsvWriter(const std::string& path, const std::vector<std::string>& columns)
    : path_(path), tmp_path_(temporary_path(path)), columns_(columns.size()) {
  require(!columns.empty(), "a CSV table needs at least one column");
  require_writable_parent(path);
  out_.open(tmp_path_, std::ios::binary | std::ios::trunc);
  if (!out_) throw Error("cannot write CSV table '" + path + "'; check the directory permissions");
  row_cells(columns);
}

CsvWriter::~CsvWriter() {
  if (closed_) return;
  out_.close();
  std::remove(tmp_path_.c_str());
}

void CsvWriter::row_values(const std::vector<double>& values) {
  std::vector<std::string> cells;
  cells.reserve(values.size());
  for (double v : values) cells.push_back(format_double(v));
  row_cells(cells);
}

void CsvWriter::row_cells(const std::vector<std::string>& cells) {
  require(!closed_, "CSV table '" + path_ + "' is already closed");
  require(cells.size() == columns_, "CSV table '" + path_ + "': row has " +
                                        std::to_string(cells.size()) + " values but " +
                                        std::to_string(columns_) + " columns");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out_ << ',';
    out_ << quoted(cells[i]);
  }
  out_ << '\n';
}

void CsvWriter::close() {
  if (closed_) return;
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  closed_ = true;
  if (!ok || out_.fail()) {
    std::remove(tmp_path_.c_str());
    throw Error("writing CSV table '" + path_ + "' failed (disk full?)");
  }
  atomic_rename(tmp_path_, path_);
}

std::string CsvWriter::format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string CsvWriter::quoted(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace csd::io
