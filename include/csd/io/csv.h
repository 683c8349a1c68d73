#pragma once
/// CSV tables for machine-readable results (RFC 4180 quoting, '\n' line ends).
/// Rows go to "<path>.tmp"; close() renames it to `path`, so a reader never sees a
/// half-written table and an interrupted run leaves any previous table untouched.
///
///   CsvWriter csv("mae.csv", {"frame", "mae"});
///   csv.row(0, 0.0);
///   csv.row(1, 1.5e-3);
///   csv.close();
#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

namespace csd::io {

class CsvWriter {
 public:
  /// Opens "<path>.tmp" and writes the header line. Throws csd::Error if the file
  /// cannot be created (the message names the path).
  CsvWriter(const std::string& path, const std::vector<std::string>& columns);
  /// Without close() the temporary file is removed and `path` is left as it was.
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// One row: numbers (doubles in shortest round-trip form), strings, or a mix.
  /// Throws csd::Error if the number of values differs from the number of columns.
  template <class... Values>
  void row(const Values&... values) {
    std::vector<std::string> cells;
    cells.reserve(sizeof...(values));
    (cells.push_back(cell(values)), ...);
    row_cells(cells);
  }
  /// One row of numbers.
  void row_values(const std::vector<double>& values);
  /// One row of already formatted cells (quoted here when needed).
  void row_cells(const std::vector<std::string>& cells);

  /// Flushes and renames the table into place. Throws csd::Error on a write failure.
  void close();

  std::size_t columns() const { return columns_; }

  /// Formats one value as a CSV cell.
  static std::string cell(const std::string& text) { return text; }
  static std::string cell(const char* text) { return text; }
  template <class Number, class = std::enable_if_t<std::is_arithmetic_v<Number>>>
  static std::string cell(Number value) {
    if constexpr (std::is_floating_point_v<Number>) {
      return format_double(static_cast<double>(value));
    } else {
      return std::to_string(value);
    }
  }

 private:
  static std::string format_double(double value);
  static std::string quoted(const std::string& text);

  std::string path_, tmp_path_;
  std::ofstream out_;
  std::size_t columns_;
  bool closed_ = false;
};

}  // namespace csd::io
