/* kac-central-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP side of kac-central: a SoupServer with the /api/v1 routes, bearer-token
 * authentication, problem+json errors, /healthz and /metrics. See data/openapi.yaml for the
 * contract and kac-wire.h for the documents.
 *
 * Decisions worth knowing:
 * - A record whose centre_id is not the signed-in clerk's centre is rejected as an item (code
 *   "wrong-centre", field "centre_id"); the rest of the batch is processed. Only clerks and
 *   managers may send records (others get 403 for the request).
 * - Idempotency is checked before validation: a record stored earlier is answered with its
 *   first answer even if today's catalogue would no longer accept it.
 * - Rejected items are not stored, so the corrected record may come again with its UUID.
 * - Request bodies over their limit are refused from the headers (413), before being read;
 *   POST bodies without a Content-Length (chunked) get 411.
 * - Sign-in checks the password (Argon2id) in a worker thread, so other requests go on.
 * - GET /metrics and GET /healthz need no token (no personal data in either).
 */
#pragma once

#include <gio/gio.h>

#include "kac-catalog.h"
#include "kac-central-metrics.h"
#include "kac-central-store.h"

G_BEGIN_DECLS

#define KAC_CENTRAL_DEFAULT_TOKEN_LIFETIME (12 * G_TIME_SPAN_HOUR)
#define KAC_CENTRAL_SMALL_BODY_MAX_BYTES   (64 * 1024)
#define KAC_CENTRAL_CHANGES_PAGE_DEFAULT   500
#define KAC_CENTRAL_CHANGES_PAGE_MAX       1000

/* Faults a test can make the server show on its next requests to /api/v1/ (sign-in excepted),
 * so that a client's handling of each can be tested against the real server. */
typedef enum
{
  KAC_CENTRAL_FAULT_NONE,
  KAC_CENTRAL_FAULT_SERVER_ERROR,       /* 500 problem, retryable, nothing done */
  KAC_CENTRAL_FAULT_GARBAGE,            /* 200 with a body that is not JSON, nothing done */
  KAC_CENTRAL_FAULT_DROP,               /* connection closed without an answer, nothing done */
  KAC_CENTRAL_FAULT_DROP_AFTER_COMMIT,  /* the request is done and committed, then the
                                         * connection is closed without an answer */
  KAC_CENTRAL_FAULT_DELAY,              /* answered normally after a delay */
} KacCentralFault;

#define KAC_CENTRAL_TYPE_SERVER (kac_central_server_get_type ())

G_DECLARE_FINAL_TYPE (KacCentralServer, kac_central_server, KAC_CENTRAL, SERVER, GObject)

/* @catalog_json: the catalogue document to serve and validate against, or NULL for the
 * sample catalogue compiled into libkac. Fails when it is not a valid catalogue. */
KacCentralServer  *kac_central_server_new                (KacCentralStore   *store,
                                                          GBytes            *catalog_json,
                                                          GError           **error);
void               kac_central_server_set_token_lifetime (KacCentralServer  *self,
                                                          GTimeSpan          lifetime);
/* With @certificate: HTTPS. Without: plain HTTP, refused unless @address is a loopback
 * address. @port 0 picks a free port. */
gboolean           kac_central_server_listen             (KacCentralServer  *self,
                                                          GTlsCertificate   *certificate,
                                                          const char        *address,
                                                          guint              port,
                                                          GError           **error);
/* The first listening URI ("https://127.0.0.1:40123/"), or NULL. */
GUri              *kac_central_server_get_uri            (KacCentralServer  *self);
KacCentralMetrics *kac_central_server_get_metrics        (KacCentralServer  *self);
KacCentralStore   *kac_central_server_get_store          (KacCentralServer  *self);
void               kac_central_server_disconnect         (KacCentralServer  *self);
/* The next @n_requests requests to /api/v1/ (except the session) show @fault; @delay_ms is
 * for KAC_CENTRAL_FAULT_DELAY. For tests and demos only; the command line has no way to set it. */
void               kac_central_server_inject_fault       (KacCentralServer  *self,
                                                          KacCentralFault    fault,
                                                          guint              n_requests,
                                                          guint              delay_ms);

G_END_DECLS
