export interface LcParamOptions {
  /** What LimaCharlie's form shows next to the field (`desc`). Required and non-empty. */
  description: string;
  /**
   * The field's position in the form (`index`). Defaults to the property's position among the
   * DTO's parameters (0-based, inherited ones first).
   */
  index?: number;
}

/** What one `@LcParam` left on a DTO property. */
export interface LcParamMeta extends LcParamOptions {
  property: string;
}

const LC_PARAM_METADATA = 'lc:param';

/**
 * Marks a DTO property as a LimaCharlie parameter. Its type, `values` and `is_required` come from
 * its class-validator decorators; this supplies what class-validator cannot: the description and
 * the order. The options are checked at boot, where the DTO is used.
 */
export function LcParam(options: LcParamOptions): PropertyDecorator {
  return (target, key) => {
    const ctor = target.constructor;
    if (typeof key !== 'string') {
      throw new TypeError(
        `@LcParam on ${ctor.name}[${String(key)}]: parameters are JSON keys; use a string-named property.`,
      );
    }
    // Inherited parameters are copied, not shared: a subclass must not add to its base's list.
    // A redeclared one keeps its place.
    const own = [...((Reflect.getMetadata(LC_PARAM_METADATA, ctor) as LcParamMeta[]) ?? [])];
    const param = { ...options, property: key };
    const at = own.findIndex((p) => p.property === key);
    if (at === -1) own.push(param);
    else own[at] = param;
    Reflect.defineMetadata(LC_PARAM_METADATA, own, ctor);
  };
}

/** The `@LcParam` properties of a DTO class, in declaration order (base class first). */
export function lcParamsOf(dto: object): readonly LcParamMeta[] {
  return (Reflect.getMetadata(LC_PARAM_METADATA, dto) as LcParamMeta[] | undefined) ?? [];
}
