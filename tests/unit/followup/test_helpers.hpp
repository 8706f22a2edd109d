// tests/unit/followup/test_helpers.hpp: small readers the writer tests use to
// look at exports the way a user's program would: an RFC 4180 CSV parser, a
// reader for xlsx sheet XML (unzip -p through popen), and text searching.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace forumcast::followup::testing {

using Table = std::vector<std::vector<std::string>>;

// Parses RFC 4180 CSV (CRLF or LF records, quoted fields with doubled quotes).
inline Table parse_csv(const std::string& s) {
  Table rows(1);
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
      any = true;
    }
  }
  (void)any;
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

inline std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

inline std::string xml_unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    const std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else
      out += "&" + ent + ";";
    i = semi;
  }
  return out;
}

// Cells of a worksheet XML (inline strings, as constant-memory mode writes them,
// or numbers), placed by their A1 reference; missing cells are "".
inline Table sheet_cells(const std::string& xml) {
  Table rows;
  size_t pos = 0;
  while ((pos = xml.find("<c r=\"", pos)) != std::string::npos) {
    const size_t ref_end = xml.find('"', pos + 6);
    const std::string ref = xml.substr(pos + 6, ref_end - pos - 6);
    size_t col = 0, k = 0;
    while (k < ref.size() && ref[k] >= 'A' && ref[k] <= 'Z') col = col * 26 + (ref[k++] - 'A' + 1);
    const size_t row = std::stoul(ref.substr(k));
    const size_t tag_end = xml.find('>', pos);
    std::string value;
    if (xml[tag_end - 1] != '/') {
      const size_t close = xml.find("</c>", tag_end);
      const std::string inner = xml.substr(tag_end + 1, close - tag_end - 1);
      const size_t t = inner.find("<t");
      const size_t v = inner.find("<v>");
      if (t != std::string::npos) {
        const size_t start = inner.find('>', t) + 1;
        value = xml_unescape(inner.substr(start, inner.find("</t>", start) - start));
      } else if (v != std::string::npos) {
        value = inner.substr(v + 3, inner.find("</v>") - v - 3);
      }
      pos = close;
    } else {
      pos = tag_end;
    }
    if (rows.size() < row) rows.resize(row);
    if (rows[row - 1].size() < col) rows[row - 1].resize(col);
    rows[row - 1][col - 1] = value;
  }
  return rows;
}

inline size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size()))
    ++n;
  return n;
}

}  // namespace forumcast::followup::testing
