#include "connectors/dms/sim/dms_faults.h"

#include <stdexcept>

namespace hub::connector::dms::sim {
namespace {

const std::vector<std::pair<FaultKind, const char*>> kNames = {
    {FaultKind::Latency, "latency"},     {FaultKind::ServerError, "server_error"},
    {FaultKind::RateLimited, "rate_limited"}, {FaultKind::Timeout, "timeout"},
    {FaultKind::Ambiguous, "ambiguous"}, {FaultKind::ResetMidBody, "reset_mid_body"},
    {FaultKind::Malformed, "malformed_body"}, {FaultKind::TokenExpired, "token_expired"},
};

}  // namespace

FaultKind faultKindNamed(const std::string& name) {
  for (const auto& [kind, n] : kNames)
    if (name == n) return kind;
  throw std::invalid_argument("unknown fault kind '" + name + "'");
}

std::string faultKindName(FaultKind kind) {
  for (const auto& [k, n] : kNames)
    if (k == kind) return n;
  return "?";
}

bool FaultPlan::matches(const Fault& f, const std::string& operation, const std::string& entity) {
  return (f.operation.empty() || f.operation == operation) && (f.entity.empty() || f.entity == entity);
}

void FaultPlan::inject(Fault fault) {
  std::lock_guard lock(mutex_);
  once_.push_back(std::move(fault));
}

void FaultPlan::setMix(std::vector<std::pair<double, Fault>> mix, std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  mix_ = std::move(mix);
  rng_.seed(seed);
}

void FaultPlan::clear() {
  std::lock_guard lock(mutex_);
  once_.clear();
  mix_.clear();
}

std::optional<Fault> FaultPlan::pick(const std::string& operation, const std::string& entity) {
  std::lock_guard lock(mutex_);
  for (auto it = once_.begin(); it != once_.end(); ++it) {
    if (!matches(*it, operation, entity)) continue;
    Fault f = *it;
    if (--it->times <= 0) once_.erase(it);
    ++hits_;
    return f;
  }
  if (mix_.empty()) return std::nullopt;
  // 53 random bits -> [0, 1), the same on every platform for a given seed.
  const double draw = static_cast<double>(rng_() >> 11) / static_cast<double>(1ULL << 53);
  double sum = 0;
  for (const auto& [p, f] : mix_) {
    sum += p;
    if (draw < sum) {
      if (!matches(f, operation, entity)) return std::nullopt;
      ++hits_;
      return f;
    }
  }
  return std::nullopt;
}

std::size_t FaultPlan::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

}  // namespace hub::connector::dms::sim
