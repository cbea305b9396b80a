#pragma once
// `file`: JSON Lines in and out of a directory — an inbox of *.jsonl files as
// a source, one outbox file per entity as a sink (jsonl_source.h, jsonl_sink.h).
#include "connectors/spi/connector.h"

namespace hub::connector::file {

ConnectorType connectorType();

}  // namespace hub::connector::file
