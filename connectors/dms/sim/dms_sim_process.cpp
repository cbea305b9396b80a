#include "connectors/dms/sim/dms_sim_process.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "connectors/dms/sim/dms_seed.h"
#include "connectors/dms/sim/dms_simulator.h"

namespace hub::connector::dms::sim {
namespace {

class Running final : public hub::sim::RunningSimulator {
 public:
  explicit Running(const hub::sim::SimulatorSpec& spec) {
    SimulatorOptions o;
    o.host = spec.host;
    o.port = spec.port;
    if (!spec.webhook_url.empty()) {
      if (spec.webhook_secret.rfind("whsec_", 0) != 0)
        throw std::runtime_error("--webhook-url needs --webhook-secret whsec_<base64>");
      o.webhook = WebhookTarget{spec.webhook_url, spec.webhook_secret};
    }
    if (spec.seed) o.seed = *spec.seed;
    sim_ = std::make_unique<DmsSimulator>(o);
    if (spec.seed) {
      sim_->seed(generateDealerData(seedSizeFor(spec)));
    }
    if (!spec.data_file.empty()) {
      std::ifstream in(spec.data_file);
      if (!in) throw std::runtime_error("cannot read " + spec.data_file);
      std::stringstream text;
      text << in.rdbuf();
      const auto data = nlohmann::json::parse(text.str(), nullptr, false);
      if (data.is_discarded() || !data.is_object())
        throw std::runtime_error(spec.data_file + " is not a JSON object of entity names to records");
      sim_->seed(data);
    }
    sim_->start();
  }
  std::string url() const override { return sim_->baseUrl(); }
  std::string describe() const override {
    const auto& o = sim_->options();
    std::string out = "dms simulator: token " + o.api_tokens.front() + ", client_id " + o.client_id +
                      ", client_secret " + o.client_secret + "; records:";
    for (const auto& e : entities()) out += " " + e.name + "=" + std::to_string(sim_->count(e.name));
    out += o.webhook ? "; webhooks to " + o.webhook->url : "; no webhooks";
    return out;
  }

 private:
  std::unique_ptr<DmsSimulator> sim_;
};

}  // namespace

SeedSize seedSizeFor(const hub::sim::SimulatorSpec& spec) {
  SeedSize size;
  size.seed = spec.seed.value_or(1);
  size.customers = hub::sim::scaled(size.customers, spec.scale);
  size.products = hub::sim::scaled(size.products, spec.scale);
  size.orders = hub::sim::scaled(size.orders, spec.scale);
  size.invoices = hub::sim::scaled(size.invoices, spec.scale);
  return size;
}

std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec) {
  return std::make_unique<Running>(spec);
}

}  // namespace hub::connector::dms::sim
