#include "hub/engine/dead_letter_ops.h"

#include "hub/engine/delivery.h"

namespace hub::engine {

const char* toString(store::ReplayStatus s) {
  switch (s) {
    case store::ReplayStatus::Queued: return "queued";
    case store::ReplayStatus::NotOpen: return "not_open";
    case store::ReplayStatus::Superseded: return "superseded";
  }
  return "queued";
}

ReplayPreview previewReplay(const Landscape& landscape, store::Store& store, const store::DeadLetter& letter,
                            const std::optional<std::string>& editedPayload, const Clock& clock) {
  ReplayPreview p;
  p.letter = letter;
  p.failed_document = letter.mapped_payload.empty()
                          ? nlohmann::json()
                          : nlohmann::json::parse(letter.mapped_payload, nullptr, false);
  if (p.failed_document.is_discarded()) p.failed_document = nullptr;
  const Flow* flow = landscape.flow(letter.flow);
  const Target* target = flow ? flow->target(letter.target) : nullptr;
  if (!target) {
    p.error = "flow '" + letter.flow + "' has no target '" + letter.target + "' any more";
    return p;
  }
  const auto record = nlohmann::json::parse(editedPayload.value_or(letter.source_payload), nullptr, false);
  if (record.is_discarded()) {
    p.error = "the payload is not valid JSON";
    return p;
  }
  auto result = mapRecord(*flow, *target, record, store, clock, landscape.config().timezone);
  p.document = std::move(result.document);
  p.problems = std::move(result.problems);
  return p;
}

std::vector<ReplayReport> replayDeadLetters(store::Store& store, const std::vector<store::Id>& ids,
                                            const std::string& actor, const std::optional<std::string>& editedPayload,
                                            Millis now) {
  std::vector<ReplayReport> out;
  for (store::Id id : ids) out.push_back({id, store.deadLetters().replay(id, actor, editedPayload, now)});
  return out;
}

}  // namespace hub::engine
