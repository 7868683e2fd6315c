/* kac-central-store-materials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacCentralStore, by concern: methodological materials, staff notices and their attachments
 * (issue 4). Every publish, update and withdrawal is one BEGIN IMMEDIATE transaction that
 * stamps the item with the next value of the store's one change counter, so the feeds share
 * the cursor scheme of the status changes ("epoch.seq"). Each update is a new version; old
 * versions are kept. A withdrawal is a tombstone in the feeds.
 */
#pragma once

#include "kac-central-store.h"
#include "kac-wire.h"

G_BEGIN_DECLS

/* Feed pages are cut near this size, whatever the item limit. */
#define KAC_CENTRAL_FEED_PAGE_SOFT_BYTES (4 * 1024 * 1024)

/* Stores @data (at most KAC_WIRE_ATTACHMENT_MAX_BYTES) under its SHA-256, once: the same bytes
 * again are the same attachment. Returns the hash. @user_id 0 = the operator. */
char            *kac_central_store_put_attachment  (KacCentralStore  *self,
                                                    GBytes           *data,
                                                    const char       *content_type,
                                                    gint64            user_id,
                                                    GDateTime        *now,
                                                    GError          **error);
/* NULL without an error when there is no such attachment. */
GBytes          *kac_central_store_get_attachment  (KacCentralStore  *self,
                                                    const char       *sha256,
                                                    char            **content_type,
                                                    GError          **error);

/* Publishes @request (title, services, body, attachments by hash; validated by the caller)
 * for @institution: a new material when @id is NULL, else the next version of material @id,
 * which must belong to @institution (KAC_CENTRAL_STORE_ERROR_FORBIDDEN otherwise,
 * …_NOT_FOUND when there is none or it was withdrawn). Attachments not uploaded give
 * …_INVALID. @user_id 0 = the operator at the command line, named by @actor. Returns the
 * stored material as the feeds send it. */
KacWireMaterial *kac_central_store_publish_material (KacCentralStore       *self,
                                                     const char            *id,
                                                     const KacWireMaterial *request,
                                                     const char            *institution,
                                                     gint64                 user_id,
                                                     const char            *actor,
                                                     GDateTime             *now,
                                                     GError               **error);
gboolean         kac_central_store_withdraw_material (KacCentralStore     *self,
                                                      const char          *id,
                                                      const char          *institution,
                                                      gint64               user_id,
                                                      const char          *actor,
                                                      GDateTime           *now,
                                                      GError             **error);

/* The same for a notice; its centres must exist (…_INVALID otherwise). */
KacWireNotice   *kac_central_store_publish_notice   (KacCentralStore     *self,
                                                     const char          *id,
                                                     const KacWireNotice *request,
                                                     const char          *institution,
                                                     gint64               user_id,
                                                     const char          *actor,
                                                     GDateTime           *now,
                                                     GError             **error);
gboolean         kac_central_store_withdraw_notice  (KacCentralStore     *self,
                                                     const char          *id,
                                                     const char          *institution,
                                                     gint64               user_id,
                                                     const char          *actor,
                                                     GDateTime           *now,
                                                     GError             **error);

/* A feed page as the wire document ({"materials": […], "cursor": …, "more": …}): items
 * changed after change number @since, oldest first, at most @limit. */
GBytes          *kac_central_store_list_materials   (KacCentralStore  *self,
                                                     gint64            since,
                                                     guint             limit,
                                                     GError          **error);
/* Only the notices for @centre_id; a centre dropped from a notice gets its tombstone. */
GBytes          *kac_central_store_list_notices     (KacCentralStore  *self,
                                                     const char       *centre_id,
                                                     gint64            since,
                                                     guint             limit,
                                                     GError          **error);

G_END_DECLS
