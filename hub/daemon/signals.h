#pragma once
// The daemon handles signals synchronously: they are blocked in every thread
// (so block them before starting any) and the main thread waits for them.
namespace hub::daemon {

enum class Signal { Stop, Reload };

void blockDaemonSignals();
Signal waitForSignal();

}  // namespace hub::daemon
