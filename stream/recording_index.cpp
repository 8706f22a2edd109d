// stream/recording_index.cpp: recording.json (nlohmann/json) and file helpers.
#include "stream/recording_index.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace forumcast::stream {

std::string to_json(const RecordingIndex& idx) {
  nlohmann::json j;
  j["forum_id"] = idx.forum_id;
  j["start_wall_ms"] = idx.start_wall_ms;
  j["recorded_until_ms"] = idx.recorded_until_ms;
  j["recorded_until_wall_ms"] = idx.recorded_until_wall_ms;
  j["next_segment"] = idx.next_segment;
  j["finished"] = idx.finished;
  j["sessions"] = nlohmann::json::array();
  for (const auto& s : idx.sessions) {
    j["sessions"].push_back({{"number", s.number},
                             {"remote", s.remote},
                             {"wall_start_ms", s.wall_start_ms},
                             {"stream_ms_start", s.stream_ms_start},
                             {"stream_ms_end", s.stream_ms_end},
                             {"first_segment", s.first_segment},
                             {"last_segment", s.last_segment}});
  }
  return j.dump(2) + "\n";
}

std::optional<RecordingIndex> recording_index_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    RecordingIndex idx;
    idx.forum_id = j.value("forum_id", "");
    idx.start_wall_ms = j.value("start_wall_ms", int64_t{0});
    idx.recorded_until_ms = j.value("recorded_until_ms", int64_t{0});
    idx.recorded_until_wall_ms = j.value("recorded_until_wall_ms", int64_t{0});
    idx.next_segment = j.value("next_segment", int64_t{0});
    idx.finished = j.value("finished", false);
    for (const auto& s : j.value("sessions", nlohmann::json::array())) {
      SessionRecord r;
      r.number = s.value("number", 0);
      r.remote = s.value("remote", "");
      r.wall_start_ms = s.value("wall_start_ms", int64_t{0});
      r.stream_ms_start = s.value("stream_ms_start", int64_t{0});
      r.stream_ms_end = s.value("stream_ms_end", int64_t{-1});
      r.first_segment = s.value("first_segment", int64_t{-1});
      r.last_segment = s.value("last_segment", int64_t{-1});
      idx.sessions.push_back(r);
    }
    return idx;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Status write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return make_error("file_write_failed", "cannot open " + tmp);
    f << content;
    if (!f.flush()) return make_error("file_write_failed", "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return make_error("file_write_failed", "cannot rename " + tmp);
  return ok_status();
}

Status append_file(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("file_write_failed", "cannot open " + path);
  ssize_t n = ::write(fd, content.data(), content.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(content.size()))
    return make_error("file_write_failed", "short write to " + path);
  return ok_status();
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace forumcast::stream
