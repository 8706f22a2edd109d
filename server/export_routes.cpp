// server/export_routes.cpp: the transcript download route (see export_routes.hpp).
// Content-Type from followup::content_type, Content-Disposition attachment with an
// ASCII file name; the transport adds Cache-Control: no-store and nosniff to every
// API answer (exports can hold personal data). The work runs on the export thread
// (answer_off_loop), never on the network loop.
#include "server/export_routes.hpp"

#include <atomic>
#include <exception>

#include <spdlog/spdlog.h>

#include "server/forum_program_routes.hpp"
#include "server/transcript_builder.hpp"

namespace forumcast {
namespace {

std::atomic<size_t> g_in_flight{0};

bool flag(const net::HttpRequest& req, std::string_view name) {
  std::string v = req.query_param(name);
  return v == "1" || v == "true" || v == "yes";
}

}  // namespace

net::HttpResponse transcript_response(Store& store, const Clock& clock, const std::string& forum_id,
                                      const net::HttpRequest& req, const std::string& actor) {
  std::string fmt = req.query_param("format");
  if (fmt.empty()) fmt = "json";
  auto format = followup::format_from_string(fmt);
  if (!format)
    return net::HttpResponse::error(400, "invalid_argument",
                                    "format must be json, csv, xlsx, md, html or vtt");
  std::string lang_s = req.query_param("lang");
  auto lang = followup::lang_from_string(lang_s.empty() ? "zh-CN" : lang_s);
  if (!lang) return net::HttpResponse::error(400, "invalid_argument", "lang must be zh-CN or en");
  followup::ExportOptions o;
  o.include_contacts = flag(req, "include_contacts");
  o.include_hidden_comments = flag(req, "include_hidden");
  o.lang = *lang;
  auto file = export_forum(store, forum_id, *format, o, actor, clock.wall_ms(),
                           followup_runtime().transcript);
  if (!file.ok()) {
    const Error& e = file.error();
    if (e.code == "not_found")
      return net::HttpResponse::error(404, "not_found", "no forum " + forum_id);
    return net::HttpResponse::error(500, e.code == "xlsx_failed" ? "export_failed" : "internal",
                                    "the export could not be made: " + e.message);
  }
  net::HttpResponse r;
  r.status = 200;
  r.content_type = file->content_type;
  r.body = std::move(file->bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
  return r;
}

std::optional<net::HttpResponse> route_forum_followup(Store& store, const Clock& clock,
                                                      const net::HttpRequest& req,
                                                      const std::string& forum_id,
                                                      const std::string& sub,
                                                      const FollowupGate& gate) {
  if (sub != "transcript")  // forum edit, panel, agenda, figures: forum_program_routes
    return route_forum_program(store, clock, req, forum_id, sub, gate);
  if (req.method != "GET")
    return net::HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  auto g = gate(kExportTranscriptAction);
  if (auto* refusal = std::get_if<net::HttpResponse>(&g)) return *refusal;
  return transcript_response(store, clock, forum_id, req, std::get<Principal>(g).name);
}

size_t exports_in_flight() {
  return g_in_flight.load();
}

void answer_off_loop(const net::HttpResponderPtr& res, std::function<net::HttpResponse()> work) {
  FollowupRuntime& rt = followup_runtime();
  Worker* worker = rt.export_worker;
  if (g_in_flight.fetch_add(1) >= rt.export_max_concurrent) {
    g_in_flight.fetch_sub(1);
    net::HttpResponse busy = net::HttpResponse::error(
        503, "export_busy",
        "too many exports are being made right now (export.max_concurrent); try again shortly");
    busy.headers.emplace_back("Retry-After", "2");
    return res->respond(std::move(busy));
  }
  auto job = [res, work = std::move(work)]() {
    net::HttpResponse r;
    try {
      r = work();
    } catch (const std::exception& e) {
      spdlog::error("export failed: {}", e.what());
      r = net::HttpResponse::error(500, "internal", "the export could not be made");
    }
    g_in_flight.fetch_sub(1);
    res->respond(std::move(r));
  };
  if (worker == nullptr) return job();
  worker->post(std::move(job));
}

bool offload_forum_export(Store& store, const Clock& clock, const net::HttpRequest& req,
                          const std::string& forum_id, const std::string& sub,
                          const FollowupGate& gate, const net::HttpResponderPtr& res) {
  if (req.method != "GET" || (sub != "transcript" && sub != "figures")) return false;
  auto g = gate(kExportTranscriptAction);  // identification and policy on the loop
  if (auto* refusal = std::get_if<net::HttpResponse>(&g)) {
    res->respond(std::move(*refusal));
    return true;
  }
  if (sub == "figures") {
    answer_off_loop(res,
                    [&store, &clock, forum_id] { return forum_figures(store, clock, forum_id); });
    return true;
  }
  std::string actor = std::get<Principal>(g).name;
  answer_off_loop(res, [&store, &clock, forum_id, req, actor] {
    return transcript_response(store, clock, forum_id, req, actor);
  });
  return true;
}

}  // namespace forumcast
