#pragma once
// What support staff do with dead letters, shared by the CLI and the admin
// API: preview a replay (the record mapped with today's mapping, beside the
// document that failed) and replay. Replays go through the queue like any
// record, so they are mapped again at delivery: a fixed mapping fixes them.
#include <optional>
#include <string>
#include <vector>

#include "hub/engine/landscape.h"
#include "hub/store/store.h"

namespace hub::engine {

struct ReplayPreview {
  store::DeadLetter letter;
  nlohmann::json failed_document;  // what was mapped when it failed (null if mapping failed early)
  nlohmann::json document;         // what the current mapping makes of it
  std::vector<mapping::FieldProblem> problems;
  std::string error;               // the flow or target no longer exists, the payload is not JSON
};

ReplayPreview previewReplay(const Landscape& landscape, store::Store& store, const store::DeadLetter& letter,
                            const std::optional<std::string>& editedPayload, const Clock& clock);

struct ReplayReport {
  store::Id dead_letter = 0;
  store::ReplayResult result;
};

std::vector<ReplayReport> replayDeadLetters(store::Store& store, const std::vector<store::Id>& ids,
                                            const std::string& actor, const std::optional<std::string>& editedPayload,
                                            Millis now);

const char* toString(store::ReplayStatus s);

}  // namespace hub::engine
