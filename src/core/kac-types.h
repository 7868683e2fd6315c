/* kac-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enumerations shared by the desk, the central server and the tests. Each value has a stable
 * wire name (used in SQLite and JSON, never translated) and a translated label for people.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What the clerk did for the client (MK 401 §17, §20). */
typedef enum
{
  KAC_RECORD_KIND_APPLICATION,            /*< nick=application >*/
  KAC_RECORD_KIND_INFORMATION,            /*< nick=information >*/
  KAC_RECORD_KIND_CONSULTATION_ESERVICES, /*< nick=consultation-eservices >*/
  KAC_RECORD_KIND_CONSULTATION_EADDRESS,  /*< nick=consultation-eaddress >*/
  KAC_RECORD_KIND_COMPLAINT,              /*< nick=complaint >*/
  KAC_RECORD_KIND_QUESTION,               /*< nick=question >*/
  KAC_RECORD_KIND_SUGGESTION,             /*< nick=suggestion >*/
} KacRecordKind;

#define KAC_RECORD_KIND_N_VALUES (KAC_RECORD_KIND_SUGGESTION + 1)

/* How the client reached the centre (MK 399 §17.2). */
typedef enum
{
  KAC_CHANNEL_IN_PERSON,  /*< nick=in-person >*/
  KAC_CHANNEL_PHONE,      /*< nick=phone >*/
  KAC_CHANNEL_ELECTRONIC, /*< nick=electronic >*/
  KAC_CHANNEL_POST,       /*< nick=post >*/
} KacChannel;

#define KAC_CHANNEL_N_VALUES (KAC_CHANNEL_POST + 1)

/* Where a registration stands in the terminal's queue. */
typedef enum
{
  KAC_RECORD_STATE_QUEUED,    /*< nick=queued >*/
  KAC_RECORD_STATE_SENDING,   /*< nick=sending >*/
  KAC_RECORD_STATE_ACCEPTED,  /*< nick=accepted >*/
  KAC_RECORD_STATE_REJECTED,  /*< nick=rejected >*/
  KAC_RECORD_STATE_WITHDRAWN, /*< nick=withdrawn >*/
} KacRecordState;

#define KAC_RECORD_STATE_N_VALUES (KAC_RECORD_STATE_WITHDRAWN + 1)

/* MK 401 §3–6. */
typedef enum
{
  KAC_CENTRE_KIND_COUNTY,   /*< nick=county >*/
  KAC_CENTRE_KIND_REGIONAL, /*< nick=regional >*/
  KAC_CENTRE_KIND_NATIONAL, /*< nick=national >*/
} KacCentreKind;

/* Whether a kind of registration asks for the client or a service. */
typedef enum
{
  KAC_REQUIREMENT_NONE,     /*< nick=none >*/
  KAC_REQUIREMENT_OPTIONAL, /*< nick=optional >*/
  KAC_REQUIREMENT_REQUIRED, /*< nick=required >*/
} KacRequirement;

/* Wire names ("application", "in-person", "queued", …): stable, never translated. */
const char    *kac_record_kind_to_string        (KacRecordKind   kind);
gboolean       kac_record_kind_from_string      (const char     *string,
                                                 KacRecordKind  *kind);
const char    *kac_channel_to_string            (KacChannel      channel);
gboolean       kac_channel_from_string          (const char     *string,
                                                 KacChannel     *channel);
const char    *kac_record_state_to_string       (KacRecordState  state);
gboolean       kac_record_state_from_string     (const char     *string,
                                                 KacRecordState *state);
const char    *kac_centre_kind_to_string        (KacCentreKind   kind);
gboolean       kac_centre_kind_from_string      (const char     *string,
                                                 KacCentreKind  *kind);

/* Translated labels for people. */
const char    *kac_record_kind_get_label        (KacRecordKind   kind);
const char    *kac_channel_get_label            (KacChannel      channel);
const char    *kac_record_state_get_label       (KacRecordState  state);
const char    *kac_centre_kind_get_label        (KacCentreKind   kind);

KacRequirement kac_record_kind_get_client_requirement  (KacRecordKind kind);
KacRequirement kac_record_kind_get_service_requirement (KacRecordKind kind);

G_END_DECLS
