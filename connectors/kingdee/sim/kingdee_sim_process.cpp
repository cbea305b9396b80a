#include "connectors/kingdee/sim/kingdee_sim_process.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "connectors/kingdee/sim/sim_seed.h"

namespace hub::connector::kingdee::sim {

namespace {

class Running final : public hub::sim::RunningSimulator {
 public:
  Running(const hub::sim::SimulatorSpec& spec, const nlohmann::json& outbound) {
    SimulatorOptions o;
    o.host = spec.host;
    o.port = spec.port;
    sim_ = std::make_unique<KingdeeSimulator>(o);
    if (spec.seed) {
      LandscapeSize size;
      size.seed = *spec.seed;
      size.customers = hub::sim::scaled(size.customers, spec.scale);
      size.materials = hub::sim::scaled(size.materials, spec.scale);
      size.outbound_bills = hub::sim::scaled(size.outbound_bills, spec.scale);
      size.invoices = hub::sim::scaled(size.invoices, spec.scale);
      auto seed = generateLandscape(size);
      if (outbound.is_array()) seed["SAL_OUTSTOCK"] = outbound;
      sim_->loadSeed(seed);
    }
    if (!spec.data_file.empty()) {
      std::ifstream in(spec.data_file);
      if (!in) throw std::runtime_error("cannot read " + spec.data_file);
      std::stringstream text;
      text << in.rdbuf();
      const auto seed = nlohmann::json::parse(text.str(), nullptr, false);
      if (seed.is_discarded() || !seed.is_object())
        throw std::runtime_error(spec.data_file + " is not a JSON object of form ids to models");
      sim_->loadSeed(seed);
    }
    sim_->start();
  }
  std::string url() const override { return sim_->baseUrl(); }
  std::string describe() const override {
    const auto& o = sim_->options();
    std::string out = "kingdee simulator: acct_id " + o.acct_id + ", username " + o.username + ", password " +
                      o.password + ", app_id " + o.app_id + ", app_secret " + o.app_secret + "; objects:";
    for (const char* f : {"BD_Customer", "BD_MATERIAL", "STK_Inventory", "SAL_OUTSTOCK", "IV_SALESIC", "IV_SALESOC"})
      out += std::string(" ") + f + "=" + std::to_string(sim_->book().count(f));
    return out;
  }

 private:
  std::unique_ptr<KingdeeSimulator> sim_;
};

}  // namespace

std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec,
                                                            const nlohmann::json& outbound) {
  return std::make_unique<Running>(spec, outbound);
}

}  // namespace hub::connector::kingdee::sim
