/* kac-sync-engine-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test-only hooks into KacSyncEngine: the tests and benchmarks shorten the engine's clocks so
 * that a backoff of minutes takes milliseconds, with the same code path and the same formula.
 * Nothing in the desk may use them.
 */
#pragma once

#include "kac-sync-engine.h"

G_BEGIN_DECLS

/* Defaults: base 2000 ms, cap 15 min, network-back delay up to 30 s, poll every 5 min.
 * d(n) = min(@backoff_max_ms, @backoff_base_ms · 2^(n−1)); sleep d/2 + random(0, d/2). */
void   _kac_sync_engine_set_timing   (KacSyncEngine *self,
                                      guint          backoff_base_ms,
                                      guint          backoff_max_ms,
                                      guint          network_delay_max_ms,
                                      guint          poll_interval_ms);
/* The HTTP client's I/O timeout and request deadline (defaults 30 s and 60 s). */
void   _kac_sync_engine_set_timeouts (KacSyncEngine *self,
                                      guint          io_timeout_seconds,
                                      guint          request_timeout_seconds);
/* The delay of the backoff for @n failures in a row, in ms, with jitter (exposed so that a
 * test checks the formula itself). */
guint  _kac_sync_engine_backoff_ms   (KacSyncEngine *self,
                                      guint          n);
/* Number of HTTP requests the engine has started (records and changes), for the tests. */
guint  _kac_sync_engine_get_n_requests (KacSyncEngine *self);
/* Bytes of the answers the engine's current HTTP client has received (headers and bodies). */
guint64 _kac_sync_engine_get_bytes_received (KacSyncEngine *self);

G_END_DECLS
