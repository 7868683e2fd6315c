/* kac-test-central.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real kac-central for client tests: a test PKI made by `openssl` in a fresh temporary
 * folder (a CA, a leaf for 127.0.0.1 and localhost signed by it, and an unrelated CA), a
 * central store with two centres and a clerk, and the server listening over HTTPS on
 * 127.0.0.1 in this process. Tokens are issued straight into the store, so tests do not pay
 * for Argon2id on every sign-in. The server's own tests use the PKI and the users from here
 * with a fixture of their own.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kac-central-server.h"
#include "kac-central-store.h"
#include "kac-record.h"
#include "kac-test-util.h"

G_BEGIN_DECLS

#define KAC_TEST_CENTRE        "riga-1"
#define KAC_TEST_OTHER_CENTRE  "cesis"
#define KAC_TEST_CLERK         "anna"
#define KAC_TEST_PASSWORD      "anna-password"
#define KAC_TEST_INSTITUTION   "vsaa"

typedef struct
{
  char             *dir;            /* everything below lives here */
  char             *ca_file;        /* the CA that signed the server's certificate */
  char             *other_ca_file;  /* a CA that has nothing to do with the server */
  GTlsCertificate  *certificate;
  char             *db_path;
  KacCentralStore  *store;
  KacCentralServer *server;
  guint             port;
  char             *uri;            /* "https://127.0.0.1:PORT/" */
} KacTestCentral;

/* The files kac_test_make_pki() writes: the test CA, the leaf it signed (certificate and
 * key) for localhost and 127.0.0.1, and a CA that has nothing to do with either. */
#define KAC_TEST_PKI_CA        "ca.pem"
#define KAC_TEST_PKI_LEAF      "leaf.pem"
#define KAC_TEST_PKI_LEAF_KEY  "leaf.key"
#define KAC_TEST_PKI_OTHER_CA  "other.pem"

/* Makes the test PKI in @dir with `openssl`; aborts the test on any failure. */
void            kac_test_make_pki            (const char     *dir);
/* Adds a user with @password (hashed as the server does, so that sign-in works) to @store. */
void            kac_test_central_add_user    (KacCentralStore *store,
                                              const char      *username,
                                              const char      *password,
                                              KacCentralRole   role,
                                              const char      *centre,
                                              const char      *institution);

/* Sets up everything and listens; aborts the test on any failure. */
KacTestCentral *kac_test_central_new         (void);
void            kac_test_central_free        (KacTestCentral *central);
/* Closes the listener and its connections and drops the server object: the server is
 * "down" (central->server is NULL until kac_test_central_start()). */
void            kac_test_central_stop        (KacTestCentral *central);
/* Listens again on the same port. */
void            kac_test_central_start       (KacTestCentral *central);
/* A bearer token for @username valid for @lifetime (may be negative: already expired). */
char           *kac_test_central_issue_token (KacTestCentral *central,
                                              const char     *username,
                                              GTimeSpan       lifetime);
void            kac_test_central_revoke_token (KacTestCentral *central,
                                               const char     *token);
/* The central number the server holds for @uuid, or NULL. */
char           *kac_test_central_dup_number  (KacTestCentral *central,
                                              const char     *uuid);

typedef gboolean (*KacTestPredicate) (gpointer data);

/* Iterates the default main context until @predicate (@data) is TRUE or @timeout_ms passed;
 * returns the predicate's last value. */
gboolean        kac_test_wait_until          (KacTestPredicate  predicate,
                                              gpointer          data,
                                              guint             timeout_ms);
/* Iterates the default main context for @ms. */
void            kac_test_run_for             (guint           ms);
/* Sends @msg with @session and iterates the default main context (where an in-process server
 * lives) until the answer is read; returns its body, or NULL with @error set. */
GBytes         *kac_test_send_and_read       (SoupSession     *session,
                                              SoupMessage     *msg,
                                              GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacTestCentral, kac_test_central_free)

G_END_DECLS
