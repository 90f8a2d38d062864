import { AwardType } from "../badges/award.graphql";
import type { AppContext } from "../context";
import { listsFor } from "../db/limits";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import {
  badgesOfCollections,
  createCollection,
  deleteCollection,
  getOwnCollection,
  listMyCollections,
  type SharedCollection,
  setCollectionBadges,
  shareCollection,
  unshareCollection,
  updateCollection,
} from "./collections.service";

// A learner's shareable collections of badges.
const CollectionType = builder.objectRef<SharedCollection>("Collection").implement({
  description: "A named, ordered selection of your badges that you can share with one link.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    publicUrl: t.string({
      nullable: true,
      description:
        "The public page's link, in shareCollection's answer only: Laurel keeps just a hash of it and cannot show it again (sharing again makes a new link). Null everywhere else.",
      resolve: (c, _x, ctx) => (c.shareToken ? publicUrls(ctx.config.appUrl).collection(c.shareToken) : null),
    }),
    sharedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "Since when the collection has a working public link; null while it has none.",
      resolve: (c) => c.sharedAt,
    }),
    updatedAt: t.field({ type: "DateTime", resolve: (c) => c.updatedAt }),
    badges: t.loadableList({
      type: AwardType,
      description: "In order. Hidden badges are listed here but never on the public page.",
      // An award may be in several collections: its rows carry the collection they were found in.
      load: async (collectionIds: string[], ctx: AppContext) =>
        listsFor(collectionIds, await badgesOfCollections(ctx, collectionIds, { publicOnly: false }), (award) => award.collectionId),
      resolve: (c) => c.id,
    }),
  }),
});

const CollectionDeleted = builder.objectRef<{ id: string }>("CollectionDeleted").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

const CollectionInput = builder.inputType("CollectionInput", {
  fields: (t) => ({
    name: t.string({ description: "At most 80 characters." }),
    description: t.string({ required: false, description: "At most 500 characters." }),
  }),
});

builder.queryFields((t) => ({
  myCollections: t.withAuth({ signedIn: true }).field({
    type: [CollectionType],
    resolve: (_r, _a, ctx) => listMyCollections(ctx, ctx.user),
  }),
  collection: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => getOwnCollection(ctx, ctx.user, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createCollection: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    errors: {},
    args: { input: t.arg({ type: CollectionInput }) },
    resolve: (_r, { input }, ctx) => createCollection(ctx, ctx.user, input),
  }),
  updateCollection: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), input: t.arg({ type: CollectionInput }) },
    resolve: (_r, { id, input }, ctx) => updateCollection(ctx, ctx.user, String(id), input),
  }),
  setCollectionBadges: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    description: "Replaces the collection's badges with these, in this order (badges from your backpack only).",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), awardIds: t.arg.idList() },
    resolve: (_r, { id, awardIds }, ctx) => setCollectionBadges(ctx, ctx.user, String(id), awardIds.map(String)),
  }),
  shareCollection: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    description: "Shares the collection under a new link; any earlier link stops working.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => shareCollection(ctx, ctx.user, String(id)),
  }),
  unshareCollection: t.withAuth({ signedIn: true }).field({
    type: CollectionType,
    description: "Stops sharing: the public link answers 404 from now on.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => unshareCollection(ctx, ctx.user, String(id)),
  }),
  deleteCollection: t.withAuth({ signedIn: true }).field({
    type: CollectionDeleted,
    description: "Deletes the collection; its public link stops working. The badges stay in your backpack.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      await deleteCollection(ctx, ctx.user, String(id));
      return { id: String(id) };
    },
  }),
}));
