/* kac-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-service"

#include "config.h"

#include "kac-service.h"

struct _KacService
{
  GObject   parent_instance;

  char     *code;
  char     *institution_code;
  char     *institution_name;
  char     *name;
  char     *name_en;
  char     *catalog_id;
  gboolean  sample;
};

G_DEFINE_FINAL_TYPE (KacService, kac_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_INSTITUTION_CODE,
  PROP_INSTITUTION_NAME,
  PROP_NAME,
  PROP_NAME_EN,
  PROP_CATALOG_ID,
  PROP_SAMPLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GObject overrides */

static void
kac_service_finalize (GObject *object)
{
  KacService *self = (KacService *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->institution_code, g_free);
  g_clear_pointer (&self->institution_name, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->name_en, g_free);
  g_clear_pointer (&self->catalog_id, g_free);

  G_OBJECT_CLASS (kac_service_parent_class)->finalize (object);
}

static void
kac_service_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KacService *self = KAC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_INSTITUTION_CODE:
      g_value_set_string (value, self->institution_code);
      break;

    case PROP_INSTITUTION_NAME:
      g_value_set_string (value, self->institution_name);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_NAME_EN:
      g_value_set_string (value, self->name_en);
      break;

    case PROP_CATALOG_ID:
      g_value_set_string (value, self->catalog_id);
      break;

    case PROP_SAMPLE:
      g_value_set_boolean (value, self->sample);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_service_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KacService *self = KAC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;

    case PROP_INSTITUTION_CODE:
      self->institution_code = g_value_dup_string (value);
      break;

    case PROP_INSTITUTION_NAME:
      self->institution_name = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_NAME_EN:
      self->name_en = g_value_dup_string (value);
      break;

    case PROP_CATALOG_ID:
      self->catalog_id = g_value_dup_string (value);
      break;

    case PROP_SAMPLE:
      self->sample = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_service_class_init (KacServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kac_service_finalize;
  object_class->get_property = kac_service_get_property;
  object_class->set_property = kac_service_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_INSTITUTION_CODE] =
    g_param_spec_string ("institution-code", NULL, NULL, NULL, flags);
  properties[PROP_INSTITUTION_NAME] =
    g_param_spec_string ("institution-name", NULL, NULL, NULL, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_NAME_EN] =
    g_param_spec_string ("name-en", NULL, NULL, NULL, flags);
  properties[PROP_CATALOG_ID] =
    g_param_spec_string ("catalog-id", NULL, NULL, NULL, flags);
  properties[PROP_SAMPLE] =
    g_param_spec_boolean ("sample", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kac_service_init (KacService *self)
{
}

/* Public API */

KacService *
kac_service_new (const char *code,
                 const char *institution_code,
                 const char *institution_name,
                 const char *name,
                 const char *name_en,
                 const char *catalog_id,
                 gboolean    sample)
{
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);
  g_return_val_if_fail (institution_code != NULL && *institution_code != '\0', NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  return g_object_new (KAC_TYPE_SERVICE,
                       "code", code,
                       "institution-code", institution_code,
                       "institution-name", institution_name,
                       "name", name,
                       "name-en", name_en,
                       "catalog-id", catalog_id,
                       "sample", sample,
                       NULL);
}

const char *
kac_service_get_code (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->code;
}

const char *
kac_service_get_institution_code (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->institution_code;
}

const char *
kac_service_get_institution_name (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->institution_name;
}

const char *
kac_service_get_name (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->name;
}

const char *
kac_service_get_name_en (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->name_en;
}

const char *
kac_service_get_catalog_id (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), NULL);

  return self->catalog_id;
}

gboolean
kac_service_get_sample (KacService *self)
{
  g_return_val_if_fail (KAC_IS_SERVICE (self), FALSE);

  return self->sample;
}
