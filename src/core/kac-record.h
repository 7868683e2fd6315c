/* kac-record.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One registration of what a clerk did for a client. Its UUID is made here, on the terminal,
 * and is its identity on the central system forever.
 */
#pragma once

#include <glib-object.h>

#include "kac-catalog.h"
#include "kac-enums.h"
#include "kac-types.h"

G_BEGIN_DECLS

#define KAC_RECORD_NOTES_MAX_CHARS       4000
#define KAC_RECORD_CLIENT_NAME_MAX_CHARS 200

#define KAC_RECORD_ERROR (kac_record_error_quark ())

/* The error code names the field that is wrong, so a form can mark and focus it. */
typedef enum
{
  KAC_RECORD_ERROR_SERVICE,
  KAC_RECORD_ERROR_CLIENT_NAME,
  KAC_RECORD_ERROR_CLIENT_CODE,
  KAC_RECORD_ERROR_NOTES,
  KAC_RECORD_ERROR_SATISFACTION,
} KacRecordError;

#define KAC_TYPE_RECORD (kac_record_get_type ())

G_DECLARE_FINAL_TYPE (KacRecord, kac_record, KAC, RECORD, GObject)

/* Properties (read-write, notify only on change):
 *   "uuid"             string, construct-only; a random UUID when not given
 *   "kind"             KacRecordKind
 *   "service-code"     string or NULL
 *   "institution-code" string or NULL (copied from the service when it is chosen)
 *   "service-name"     string or NULL (the name as it was, so old records stay readable)
 *   "channel"          KacChannel
 *   "client-name"      string or NULL
 *   "client-code"      string or NULL (personal code, normalised "DDMMYY-NNNNN")
 *   "notes"            string or NULL
 *   "satisfaction"     int, 0 = not asked, else 1–5
 *   "created-at"       GDateTime (UTC), set at construction
 *   "updated-at"       GDateTime (UTC)
 *   "clerk"            string
 *   "centre-id"        string
 *   "state"            KacRecordState
 *   "state-detail"     string or NULL (e.g. why the central system rejected it)
 *   "central-number"   string or NULL (the central registration number once accepted)
 */
GQuark          kac_record_error_quark          (void);

KacRecord      *kac_record_new                  (KacRecordKind  kind);
KacRecord      *kac_record_copy                 (KacRecord     *self);

const char     *kac_record_get_uuid             (KacRecord     *self);
KacRecordKind   kac_record_get_kind             (KacRecord     *self);
void            kac_record_set_kind             (KacRecord     *self,
                                                 KacRecordKind  kind);
const char     *kac_record_get_service_code     (KacRecord     *self);
const char     *kac_record_get_institution_code (KacRecord     *self);
const char     *kac_record_get_service_name     (KacRecord     *self);
/* Sets service-code, institution-code and service-name from @service (NULL clears them). */
void            kac_record_set_service          (KacRecord     *self,
                                                 KacService    *service);
KacChannel      kac_record_get_channel          (KacRecord     *self);
void            kac_record_set_channel          (KacRecord     *self,
                                                 KacChannel     channel);
const char     *kac_record_get_client_name      (KacRecord     *self);
void            kac_record_set_client_name      (KacRecord     *self,
                                                 const char    *client_name);
const char     *kac_record_get_client_code      (KacRecord     *self);
void            kac_record_set_client_code      (KacRecord     *self,
                                                 const char    *client_code);
const char     *kac_record_get_notes            (KacRecord     *self);
void            kac_record_set_notes            (KacRecord     *self,
                                                 const char    *notes);
int             kac_record_get_satisfaction     (KacRecord     *self);
void            kac_record_set_satisfaction     (KacRecord     *self,
                                                 int            satisfaction);
GDateTime      *kac_record_get_created_at       (KacRecord     *self);
GDateTime      *kac_record_get_updated_at       (KacRecord     *self);
void            kac_record_set_updated_at       (KacRecord     *self,
                                                 GDateTime     *updated_at);
const char     *kac_record_get_clerk            (KacRecord     *self);
void            kac_record_set_clerk            (KacRecord     *self,
                                                 const char    *clerk);
const char     *kac_record_get_centre_id        (KacRecord     *self);
void            kac_record_set_centre_id        (KacRecord     *self,
                                                 const char    *centre_id);
KacRecordState  kac_record_get_state            (KacRecord     *self);
void            kac_record_set_state            (KacRecord     *self,
                                                 KacRecordState state);
const char     *kac_record_get_state_detail     (KacRecord     *self);
void            kac_record_set_state_detail     (KacRecord     *self,
                                                 const char    *state_detail);
const char     *kac_record_get_central_number   (KacRecord     *self);
void            kac_record_set_central_number   (KacRecord     *self,
                                                 const char    *central_number);

/* A queued or rejected record may still be corrected or withdrawn; a sent one may not. */
gboolean        kac_record_is_editable          (KacRecord     *self);

/* "120394-*****" or "" — what lists show of the client's code. */
char           *kac_record_dup_masked_client_code (KacRecord   *self);

/* Checks the record as the kind asks: required service and client, a valid personal code
 * (normalised in place), lengths, satisfaction range. With @catalog, the service code must be in
 * it (a record made from an old catalogue gets a message saying so). Returns FALSE with the first
 * problem in form order; the error code names the field, the message is for the clerk. */
gboolean        kac_record_validate             (KacRecord     *self,
                                                 KacCatalog    *catalog,
                                                 GError       **error);

G_END_DECLS
