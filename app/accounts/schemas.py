"""API schemas of the accounts domain. Unknown fields raise (marshmallow's default RAISE)."""

from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String()
    expires_at = fields.DateTime()


class SlugNameSchema(Schema):
    slug = fields.String()
    name = fields.String()


class MeSchema(Schema):
    id = fields.Integer()
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
