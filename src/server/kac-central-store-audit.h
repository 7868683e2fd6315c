/* kac-central-store-audit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacCentralStore, by concern: the append-only audit log (issue 7; MK 402 §9.8). Registrations
 * and status changes are written by a trigger on status_audit in the same transaction as the
 * change; sign-ins, failed sign-ins and sign-outs by the server through
 * kac_central_store_audit(). Triggers refuse every UPDATE and DELETE of the table. No entry
 * holds personal data: no client name or code, no note, never a password.
 */
#pragma once

#include "kac-central-store.h"

G_BEGIN_DECLS

typedef enum
{
  KAC_CENTRAL_AUDIT_REGISTRATION,
  KAC_CENTRAL_AUDIT_STATUS_CHANGE,
  KAC_CENTRAL_AUDIT_SIGN_IN,
  KAC_CENTRAL_AUDIT_SIGN_IN_FAILED,
  KAC_CENTRAL_AUDIT_SIGN_OUT,
} KacCentralAuditEvent;

/* "registration", "status-change", "sign-in", "sign-in-failed", "sign-out" */
const char *kac_central_audit_event_to_string (KacCentralAuditEvent event);

typedef struct
{
  gint64  id;            /* increasing: the position in the log */
  char   *at;            /* ISO 8601, UTC */
  char   *event;
  char   *username;      /* who; for a failed sign-in the name that was tried; may be NULL */
  gint64  user_id;       /* 0: none (a failed sign-in, the operator) */
  char   *source;        /* the client's address (sign-ins, sign-outs); may be NULL */
  char   *record_uuid;   /* registrations and status changes */
  char   *centre_id;
  char   *institution;
  char   *detail;        /* "registered", "registered → forwarded", … */
} KacCentralAuditEntry;

void        kac_central_audit_entry_free      (KacCentralAuditEntry *entry);

/* The most an audit page holds. */
#define KAC_CENTRAL_AUDIT_PAGE_MAX 1000

/* Appends one sign-in, failed sign-in or sign-out (registrations and status changes are
 * written by the store itself). Its own transaction. @user may be NULL (a failed sign-in):
 * then @username names who was tried. */
gboolean    kac_central_store_audit           (KacCentralStore       *self,
                                               KacCentralAuditEvent   event,
                                               KacCentralUser        *user,
                                               const char            *username,
                                               const char            *source,
                                               GDateTime             *at,
                                               GError               **error);

/* Entries after entry @after_id (0: from the start), or — when @since is not NULL — at or
 * after the instant @since; oldest first, at most @limit (1 … KAC_CENTRAL_AUDIT_PAGE_MAX).
 * Sets @more when there are further entries. Array of KacCentralAuditEntry. */
GPtrArray  *kac_central_store_list_audit      (KacCentralStore       *self,
                                               gint64                 after_id,
                                               GDateTime             *since,
                                               guint                  limit,
                                               gboolean              *more,
                                               GError               **error);

/* The JSON document of GET /api/v1/audit: {"entries": [...], "next": "ID", "more": bool}. */
GBytes     *kac_central_audit_encode_page     (GPtrArray             *entries,
                                               gint64                 after_id,
                                               gboolean               more);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacCentralAuditEntry, kac_central_audit_entry_free)

G_END_DECLS
