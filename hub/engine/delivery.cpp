#include "hub/engine/delivery.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "connectors/spi/errors.h"
#include "connectors/spi/json_path.h"
#include "hub/core/failpoint.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/engine/idempotency.h"
#include "hub/engine/store_xref_lookup.h"

namespace hub::engine {
namespace {

using connector::Disposition;
using store::ItemOutcome;
using store::Verdict;

std::string describeProblems(const mapping::MappingResult& r) {
  std::string out;
  for (const auto& p : r.problems) {
    if (!out.empty()) out += "; ";
    out += p.path + ": " + p.message;
    if (!p.source_value.is_null()) out += " (source value " + p.source_value.dump() + ")";
  }
  return out;
}

nlohmann::json attemptDetail(int attempt, Millis at, const char* verdict) {
  return {{"attempt", attempt}, {"at", formatIsoMillis(at)}, {"verdict", verdict}};
}

// One record's way through the batch.
struct Pending {
  store::QueueItem item;
  ItemOutcome outcome;
  bool send = false;
  connector::OutboundRecord outbound;
  nlohmann::json detail;
  bool left_leased = false;  // cut short by the shutdown deadline: no outcome is written
};

void failWith(Pending& p, Verdict v, store::Failure f, Millis now, const char* verdict) {
  p.outcome.verdict = v;
  p.outcome.failure = std::move(f);
  p.outcome.failure.message = redact(p.outcome.failure.message);
  p.outcome.failure.response_excerpt = redact(p.outcome.failure.response_excerpt);
  p.detail = attemptDetail(p.item.attempts, now, verdict);
  p.detail["stage"] = p.outcome.failure.stage;
  p.detail["error_type"] = p.outcome.failure.error_type;
  p.detail["message"] = p.outcome.failure.message;
  if (p.outcome.failure.http_status) p.detail["http_status"] = p.outcome.failure.http_status;
}

void prepare(Pending& p, const Flow& flow, const Target& target, StoreXrefLookup& xref, DeliveryContext& ctx,
             Millis now) {
  p.outcome.id = p.item.id;
  p.outcome.mapping_version = target.mapping ? target.mapping->version() : "";
  const auto record = nlohmann::json::parse(p.item.payload, nullptr, false);
  if (record.is_discarded()) {
    failWith(p, Verdict::Dead, {"map", "malformed_record", 0, "stored payload is not valid JSON", ""}, now, "dead");
    return;
  }
  if (!target.when_field.empty()) {
    const auto* value = connector::findPath(record, target.when_field);
    const std::string text = value ? connector::keyText(*value) : "";
    if (std::find(target.when_in.begin(), target.when_in.end(), text) == target.when_in.end()) {
      p.outcome.verdict = Verdict::Skipped;
      p.detail = attemptDetail(p.item.attempts, now, "skipped");
      p.detail["reason"] = "not routed to this target (" + target.when_field + " = '" + text + "')";
      return;
    }
  }
  nlohmann::json document;
  if (target.mapping) {
    mapping::MappingContext mctx;
    mctx.xref = &xref;
    mctx.now = [&ctx] { return ctx.clock.now(); };
    mctx.default_timezone = ctx.timezone;
    mapping::MappingResult result = target.mapping->apply(record, mctx);
    if (!result.ok()) {
      p.outcome.mapped_payload = canonicalText(result.document);
      if (result.onlyMissingReferences() && !result.missing.empty()) {
        const auto& m = result.missing.front();
        p.outcome.park_ref = store::parkRef(m.entity, m.system, m.id);
        std::string what;
        for (const auto& miss : result.missing)
          what += (what.empty() ? "" : ", ") + miss.entity + "/" + miss.system + "/" + miss.id;
        failWith(p, Verdict::Park, {"map", "unresolved_reference", 0, "waiting for " + what, ""}, now, "parked");
      } else {
        failWith(p, Verdict::Dead, {"map", "mapping", 0, describeProblems(result), ""}, now, "dead");
      }
      return;
    }
    document = std::move(result.document);
  } else {
    document = record;
  }
  const std::string hash = contentHash(document);
  p.outcome.mapped_hash = hash;
  const auto known = ctx.store.xref().find(flow.config.entity, target.connector, p.item.key);
  if (known && known->content_hash == hash) {
    p.outcome.verdict = Verdict::Skipped;
    p.outcome.remote_id = known->remote_id;
    p.detail = attemptDetail(p.item.attempts, now, "skipped");
    p.detail["reason"] = "the target already has this content";
    return;
  }
  p.send = true;
  p.outbound.key = p.item.key;
  p.outbound.idempotency_key = idempotencyKey(flow.name(), target.name, p.item.key, hash);
  p.outbound.known_remote_id = known ? known->remote_id : "";
  p.outbound.attempt = p.item.attempts;
  p.outbound.previous_attempt_ambiguous = p.item.ambiguous;
  p.outbound.document = std::move(document);
  p.outcome.mapped_payload = canonicalText(p.outbound.document);
}

// Accepted by the target; asked again after the flow's confirmation interval.
void awaitConfirmation(Pending& p, const connector::Outcome& o, const Flow& flow, Millis now, const char* verdict) {
  p.outcome.verdict = Verdict::Await;
  if (!o.remote_id.empty()) p.outcome.remote_id = o.remote_id;
  if (!o.remote_number.empty()) p.outcome.remote_number = o.remote_number;
  p.outcome.next_attempt_at = now + flow.config.confirmation.interval;
  p.detail = attemptDetail(p.item.attempts, now, verdict);
  if (!p.outcome.remote_id.empty()) p.detail["remote_id"] = p.outcome.remote_id;
  p.detail["check_in_ms"] = flow.config.confirmation.interval;
}

connector::Outcome fromError(const connector::ConnectorError& e, Disposition d) {
  connector::Outcome o;
  o.disposition = d;
  o.error_type = e.error_type;
  o.message = e.what();
  o.http_status = e.http_status;
  o.response_excerpt = e.response_excerpt;
  if (const auto* r = dynamic_cast<const connector::RetryableError*>(&e)) {
    o.retry_after = r->retry_after_ms;
    o.ambiguous = r->ambiguous;
  }
  return o;
}

// Writes the batch's outcomes (xref entries, dead letters, run counters) in one
// store transaction, logs dead letters and counts outcomes for metrics.
void commitOutcomes(std::vector<Pending>& batch, const Flow& flow, const Target& target, DeliveryContext& ctx,
                    Millis now, BatchResult& result) {
  store::Completion completion;
  completion.flow = flow.name();
  completion.target = target.name;
  completion.owner = ctx.owner;
  completion.entity = flow.config.entity;
  completion.target_system = target.connector;
  completion.now = now;
  std::map<Verdict, std::size_t> tally;
  for (auto& p : batch) {
    if (p.left_leased) {
      ++result.left_leased;
      continue;
    }
    p.outcome.attempt_detail = p.detail.dump();
    ++tally[p.outcome.verdict];
    if (p.outcome.verdict == Verdict::Dead)
      log::warn("record_dead_lettered", {{"flow", flow.name()},
                                         {"target", target.name},
                                         {"key", p.item.key},
                                         {"queue_id", p.item.id},
                                         {"error_type", p.outcome.failure.error_type},
                                         {"message", p.outcome.failure.message}});
    completion.outcomes.push_back(std::move(p.outcome));
  }
  if (result.left_leased)
    log::warn("batch_left_leased", {{"flow", flow.name()}, {"target", target.name}, {"records", result.left_leased},
                                    {"why", "the shutdown deadline cut the push short"}});
  ctx.store.queue().complete(completion);
  if (ctx.observer)
    for (const auto& [verdict, n] : tally) ctx.observer->outcome(flow.name(), target.name, verdict, n);
}

}  // namespace

BatchResult deliverBatch(const Flow& flow, const Target& target, DeliveryContext& ctx, std::mt19937_64& rng) {
  BatchResult result;
  Millis now = ctx.clock.now();
  if (const Millis until = target.breaker->admit(now)) return {0, 0, until};
  if (!target.sink) return {0, 0, now + 60000};
  result.limit = std::max<std::size_t>(1, std::min(flow.config.batch_size, target.sink->maxBatch()));
  auto items = ctx.store.queue().lease({flow.name(), target.name, result.limit, ctx.owner, now, ctx.lease_ttl});
  result.leased = items.size();
  if (items.empty()) {
    target.breaker->succeeded();  // nothing was tried; do not hold a half-open probe
    return result;
  }

  StoreXrefLookup xref(ctx.store.xref());
  std::vector<Pending> batch(items.size());
  std::vector<connector::OutboundRecord> outbound;
  for (std::size_t i = 0; i < items.size(); ++i) {
    batch[i].item = std::move(items[i]);
    prepare(batch[i], flow, target, xref, ctx, now);
    if (batch[i].send) outbound.push_back(batch[i].outbound);
  }

  if (!outbound.empty()) {
    std::vector<connector::Outcome> outcomes;
    HUB_FAILPOINT("before_sink_send");
    const auto started = std::chrono::steady_clock::now();
    try {
      outcomes = target.sink->push(outbound);
      if (outcomes.size() != outbound.size())
        throw connector::RetryableError("connector_bug", "sink answered " + std::to_string(outcomes.size()) +
                                                             " outcomes for " + std::to_string(outbound.size()) +
                                                             " records");
    } catch (const connector::RetryableError& e) {
      outcomes.assign(outbound.size(), fromError(e, Disposition::Retry));
    } catch (const connector::PermanentError& e) {
      outcomes.assign(outbound.size(), fromError(e, Disposition::Permanent));
    } catch (const std::exception& e) {
      outcomes.assign(outbound.size(), connector::Outcome::retry("connector_error", e.what()));
    }
    HUB_FAILPOINT("after_sink_ack_before_outcome_commit");
    const bool aborted = ctx.stop && ctx.stop->aborting();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    now = ctx.clock.now();

    bool anyDelivered = false, anyRetry = false;
    std::size_t next = 0;
    for (auto& p : batch) {
      if (!p.send) continue;
      const connector::Outcome& o = outcomes[next++];
      if (aborted && o.disposition == Disposition::Retry) {
        p.left_leased = true;  // no outcome: the record comes back when its lease expires
        continue;
      }
      switch (o.disposition) {
        case Disposition::Delivered:
          anyDelivered = true;
          p.outcome.verdict = Verdict::Delivered;
          p.outcome.remote_id = o.remote_id;
          p.outcome.remote_number = o.remote_number;
          p.detail = attemptDetail(p.item.attempts, now, "delivered");
          p.detail["remote_id"] = o.remote_id;
          if (!o.remote_number.empty()) p.detail["remote_number"] = o.remote_number;
          p.detail["idempotency_key"] = p.outbound.idempotency_key;
          break;
        case Disposition::Retry: {
          anyRetry = true;
          store::Failure f{"push", o.error_type, o.http_status, o.message, o.response_excerpt};
          if (flow.retry.exhausted(p.item.attempts)) {
            f.message = "gave up after " + std::to_string(p.item.attempts) + " attempts: " + f.message;
            failWith(p, Verdict::Dead, f, now, "dead");
          } else {
            failWith(p, Verdict::Retry, f, now, "retry");
            const Millis delay = flow.retry.delay(p.item.attempts, o.retry_after, rng);
            p.outcome.next_attempt_at = now + delay;
            p.outcome.ambiguous = o.ambiguous || p.item.ambiguous;
            p.detail["retry_in_ms"] = delay;
            if (o.retry_after) p.detail["retry_after_ms"] = *o.retry_after;
            if (ctx.observer) ctx.observer->retryScheduled(flow.name(), target.name, delay);
          }
          break;
        }
        case Disposition::Permanent:
          failWith(p, Verdict::Dead, {"push", o.error_type, o.http_status, o.message, o.response_excerpt}, now, "dead");
          break;
        case Disposition::Awaiting:
          anyDelivered = true;  // the target answered: the circuit is fine
          awaitConfirmation(p, o, flow, now, "awaiting");
          p.detail["idempotency_key"] = p.outbound.idempotency_key;
          break;
      }
      p.detail["duration_ms"] = ms.count();
    }
    if (anyRetry && !anyDelivered) {
      target.breaker->failed(now);
    } else {
      target.breaker->succeeded();
    }
    if (ctx.observer)
      ctx.observer->breakerState(target.connector, target.name, static_cast<int>(target.breaker->state(now)));
  }

  commitOutcomes(batch, flow, target, ctx, now, result);
  return result;
}

BatchResult confirmAwaiting(const Flow& flow, const Target& target, DeliveryContext& ctx) {
  BatchResult result;
  Millis now = ctx.clock.now();
  if (!target.sink) return result;
  result.limit = std::max<std::size_t>(1, std::min(flow.config.batch_size, target.sink->maxBatch()));
  auto items = ctx.store.queue().leaseAwaiting({flow.name(), target.name, result.limit, ctx.owner, now, ctx.lease_ttl});
  result.leased = items.size();
  if (items.empty()) return result;

  std::vector<connector::AwaitingRecord> asked;
  for (const auto& item : items) asked.push_back({item.key, item.remote_id, item.awaiting_since});
  std::vector<connector::Outcome> answers;
  try {
    answers = target.sink->confirm(asked);
    if (answers.size() != asked.size())
      throw connector::RetryableError("connector_bug", "sink confirmed " + std::to_string(answers.size()) +
                                                           " records of " + std::to_string(asked.size()));
  } catch (const connector::ConnectorError& e) {
    answers.assign(asked.size(), fromError(e, Disposition::Retry));  // the question failed, not the records
  } catch (const std::exception& e) {
    answers.assign(asked.size(), connector::Outcome::retry("connector_error", e.what()));
  }
  now = ctx.clock.now();

  std::vector<Pending> batch(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Pending& p = batch[i];
    const connector::Outcome& o = answers[i];
    p.item = std::move(items[i]);
    p.outcome.id = p.item.id;
    p.outcome.mapped_hash = p.item.mapped_hash;
    p.outcome.remote_id = p.item.remote_id;
    p.outcome.mapping_version = target.mapping ? target.mapping->version() : "";
    switch (o.disposition) {
      case Disposition::Delivered:
        p.outcome.verdict = Verdict::Delivered;
        if (!o.remote_id.empty()) p.outcome.remote_id = o.remote_id;
        p.outcome.remote_number = o.remote_number;
        p.detail = attemptDetail(p.item.attempts, now, "confirmed");
        p.detail["remote_id"] = p.outcome.remote_id;
        if (!o.remote_number.empty()) p.detail["remote_number"] = o.remote_number;
        break;
      case Disposition::Permanent:
        failWith(p, Verdict::Dead, {"confirm", o.error_type, o.http_status, o.message, o.response_excerpt}, now,
                 "dead");
        break;
      case Disposition::Awaiting:
      case Disposition::Retry:
        if (now - p.item.awaiting_since >= flow.config.confirmation.timeout) {
          std::string why = target.name + " accepted it " + formatDuration(now - p.item.awaiting_since) +
                            " ago and has not confirmed it (confirmation.timeout " +
                            formatDuration(flow.config.confirmation.timeout) + ")";
          if (!p.item.remote_id.empty()) why += "; its id there: " + p.item.remote_id;
          if (o.disposition == Disposition::Retry) why += "; the last check failed: " + o.message;
          failWith(p, Verdict::Dead, {"confirm", "confirmation_timeout", 0, why, o.response_excerpt}, now, "dead");
        } else {
          awaitConfirmation(p, o, flow, now, o.disposition == Disposition::Retry ? "check_failed" : "awaiting");
          if (o.disposition == Disposition::Retry) p.detail["message"] = redact(o.message);
        }
        break;
    }
  }
  commitOutcomes(batch, flow, target, ctx, now, result);
  return result;
}

mapping::MappingResult mapRecord(const Flow&, const Target& target, const nlohmann::json& record, store::Store& store,
                                 const Clock& clock, const std::string& timezone) {
  if (!target.mapping) {
    mapping::MappingResult r;
    r.document = record;
    return r;
  }
  StoreXrefLookup xref(store.xref());
  mapping::MappingContext mctx;
  mctx.xref = &xref;
  mctx.now = [&clock] { return clock.now(); };
  mctx.default_timezone = timezone;
  return target.mapping->apply(record, mctx);
}

}  // namespace hub::engine
