// tests/support/temp_dir.hpp: a fresh directory under $TMPDIR (or /tmp), removed
// with everything in it when the TempDir goes away.
#pragma once

#include <string>

namespace forumcast::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "forumcast-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole-file helpers ("" if the file cannot be read).
std::string read_file(const std::string& path);
bool write_file(const std::string& path, const std::string& content);

}  // namespace forumcast::test
