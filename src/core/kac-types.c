/* kac-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-types"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kac-enums.h"
#include "kac-types.h"

/* Wire names come from the enum nicks, so the enum declaration is their one source. */
static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  g_return_val_if_fail (enum_value != NULL, NULL);

  return enum_value->value_nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

#define DEFINE_WIRE_NAMES(TypeName, type_name, TYPE)                          \
  const char *                                                                \
  type_name##_to_string (TypeName value)                                      \
  {                                                                           \
    return enum_to_nick (TYPE, value);                                        \
  }                                                                           \
                                                                              \
  gboolean                                                                    \
  type_name##_from_string (const char *string,                                \
                           TypeName   *value)                                 \
  {                                                                           \
    int v;                                                                    \
                                                                              \
    if (!enum_from_nick (TYPE, string, &v))                                   \
      return FALSE;                                                           \
    if (value != NULL)                                                        \
      *value = (TypeName) v;                                                  \
    return TRUE;                                                              \
  }

DEFINE_WIRE_NAMES (KacRecordKind, kac_record_kind, KAC_TYPE_RECORD_KIND)
DEFINE_WIRE_NAMES (KacChannel, kac_channel, KAC_TYPE_CHANNEL)
DEFINE_WIRE_NAMES (KacRecordState, kac_record_state, KAC_TYPE_RECORD_STATE)
DEFINE_WIRE_NAMES (KacCentreKind, kac_centre_kind, KAC_TYPE_CENTRE_KIND)

const char *
kac_record_kind_get_label (KacRecordKind kind)
{
  switch (kind)
    {
    case KAC_RECORD_KIND_APPLICATION:
      return _("Application for a service");
    case KAC_RECORD_KIND_INFORMATION:
      return _("Information given");
    case KAC_RECORD_KIND_CONSULTATION_ESERVICES:
      return _("Consultation on e-services");
    case KAC_RECORD_KIND_CONSULTATION_EADDRESS:
      return _("Consultation on the e-address");
    case KAC_RECORD_KIND_COMPLAINT:
      return _("Complaint");
    case KAC_RECORD_KIND_QUESTION:
      return _("Question");
    case KAC_RECORD_KIND_SUGGESTION:
      return _("Suggestion");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kac_channel_get_label (KacChannel channel)
{
  switch (channel)
    {
    case KAC_CHANNEL_IN_PERSON:
      return _("In person");
    case KAC_CHANNEL_PHONE:
      return _("By phone");
    case KAC_CHANNEL_ELECTRONIC:
      return _("Electronically");
    case KAC_CHANNEL_POST:
      return _("By post");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kac_record_state_get_label (KacRecordState state)
{
  switch (state)
    {
    case KAC_RECORD_STATE_QUEUED:
      return _("Waiting to be sent");
    case KAC_RECORD_STATE_SENDING:
      return _("Sending");
    case KAC_RECORD_STATE_ACCEPTED:
      return _("Accepted");
    case KAC_RECORD_STATE_REJECTED:
      return _("Rejected");
    case KAC_RECORD_STATE_WITHDRAWN:
      return _("Withdrawn");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kac_centre_kind_get_label (KacCentreKind kind)
{
  switch (kind)
    {
    case KAC_CENTRE_KIND_COUNTY:
      return _("County centre");
    case KAC_CENTRE_KIND_REGIONAL:
      return _("Regional centre");
    case KAC_CENTRE_KIND_NATIONAL:
      return _("National centre");
    default:
      g_return_val_if_reached (NULL);
    }
}

KacRequirement
kac_record_kind_get_client_requirement (KacRecordKind kind)
{
  switch (kind)
    {
    case KAC_RECORD_KIND_APPLICATION:
      return KAC_REQUIREMENT_REQUIRED;
    /* The client may want an answer to a complaint, question or suggestion. */
    case KAC_RECORD_KIND_COMPLAINT:
    case KAC_RECORD_KIND_QUESTION:
    case KAC_RECORD_KIND_SUGGESTION:
      return KAC_REQUIREMENT_OPTIONAL;
    case KAC_RECORD_KIND_INFORMATION:
    case KAC_RECORD_KIND_CONSULTATION_ESERVICES:
    case KAC_RECORD_KIND_CONSULTATION_EADDRESS:
    default:
      return KAC_REQUIREMENT_NONE;
    }
}

KacRequirement
kac_record_kind_get_service_requirement (KacRecordKind kind)
{
  switch (kind)
    {
    case KAC_RECORD_KIND_APPLICATION:
    case KAC_RECORD_KIND_INFORMATION:
      return KAC_REQUIREMENT_REQUIRED;
    case KAC_RECORD_KIND_CONSULTATION_EADDRESS:
      return KAC_REQUIREMENT_NONE;
    case KAC_RECORD_KIND_CONSULTATION_ESERVICES:
    case KAC_RECORD_KIND_COMPLAINT:
    case KAC_RECORD_KIND_QUESTION:
    case KAC_RECORD_KIND_SUGGESTION:
    default:
      return KAC_REQUIREMENT_OPTIONAL;
    }
}
