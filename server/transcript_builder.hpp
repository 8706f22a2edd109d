// server/transcript_builder.hpp: reads one forum's record from the store and fills
// a followup::Transcript for the writers (export CLI and HTTP route): the forum,
// its panel and agenda, every question with follow-ups, moderation history, on-air
// stretches with the answers mapped onto them, votes and asker; comments from the
// chat log with hidden ones marked from the audit log; tickets with history and
// ratings. Also converts tickets between the store's rows and followup's record,
// for the ticket routes. Reads only (blocking store reads: call it off the loop
// thread for big forums); privacy is the writers' (ExportOptions).
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "followup/ticket.hpp"
#include "followup/transcript.hpp"
#include "followup/writers.hpp"
#include "store/store.hpp"

namespace forumcast {

struct TranscriptLimits {
  size_t max_comments = 1'000'000;    // export.max_comments: newest kept beyond this
  size_t max_audit_scan = 1'000'000;  // audit rows read to find hidden comments
  // Moderation history of every question: only the json format shows it, so
  // export_forum reads it for json only (and the figures never).
  bool question_history = true;
};

// not_found if the forum does not exist; store errors as they come.
Result<followup::Transcript> build_transcript(Store& store, const std::string& forum_id,
                                              int64_t now_ms, const TranscriptLimits& limits = {});

// Store row <-> followup record. to_change carries the events and ratings `after`
// has beyond `before` (followup's machine only appends), and the row with the
// version that was read.
followup::Ticket ticket_from_record(const TicketRecord& rec);
TicketRow row_from_ticket(const followup::Ticket& t, std::optional<int64_t> thread_id,
                          int64_t version, int64_t now_ms);
TicketChange change_from(const TicketRecord& before, const followup::Ticket& after, int64_t now_ms);

// One finished export, as the CLI writes it and the HTTP route sends it.
struct ExportedFile {
  std::string bytes;
  std::string content_type;  // followup::content_type
  std::string filename;      // "<forum id>-transcript.<ext>" (ASCII, safe in a header)
};

// Builds and writes one forum's transcript. With include_contacts it first appends
// the audit entry "transcript.export_contacts" (actor, format, options) and
// refuses to export if that entry cannot be written. Errors: not_found,
// xlsx_failed, store errors.
Result<ExportedFile> export_forum(Store& store, const std::string& forum_id,
                                  followup::Format format, const followup::ExportOptions& options,
                                  const std::string& actor, int64_t now_ms,
                                  const TranscriptLimits& limits = {});

}  // namespace forumcast
