"""API schemas of the accounts domain. Unknown fields raise (marshmallow's default RAISE)."""

from marshmallow import fields, validate

from app.api import ApiSchema, Timestamp
from app.ids import PublicId


class TokenRequestSchema(ApiSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(ApiSchema):
    token = fields.String()
    expires_at = Timestamp()


class SlugNameSchema(ApiSchema):
    slug = fields.String()
    name = fields.String()


class MeSchema(ApiSchema):
    id = PublicId("user")
    name = fields.String()
    email = fields.String()
    roles = fields.List(fields.String())
    organisation = fields.Nested(SlugNameSchema)
    arrangement = fields.Method("get_arrangement")

    def get_arrangement(self, user):
        return {
            "slug": user.organisation.arrangement.slug,
            "name": user.organisation.arrangement.name,
        }
