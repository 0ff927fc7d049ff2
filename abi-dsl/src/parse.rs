//! Parsing: tokens to a syntax tree that keeps every span. No meaning is checked here beyond the
//! grammar; names stay names until `validate` resolves them.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, bracketed, parenthesized, Attribute, Expr, Ident, LitStr, Token, Visibility};

/// The body of one `hypercall_abi!` invocation.
pub struct Input {
    /// The ABIs it declares, in order.
    pub abis: Vec<AbiDef>,
}

#[derive(Clone)]
/// One `[vis] abi IDENT = "id" ["title"] [: base] { ... }` declaration.
pub struct AbiDef {
    /// Its attributes (doc comments, `#[source]`, ...).
    pub attrs: Vec<Attribute>,
    /// The visibility of the generated module.
    pub vis: Visibility,
    /// The Rust name of the generated module.
    pub ident: Ident,
    /// The ABI id (`xen-arm64`).
    pub id: LitStr,
    /// The human title, if given.
    pub title: Option<LitStr>,
    /// `: base`: start from an ABI declared earlier in the same invocation (see `inherit`).
    pub base: Option<Ident>,
    /// The `key: value` fields of its body, in order.
    pub fields: Vec<Field>,
}

/// `key: value` inside an ABI body.
#[derive(Clone)]
pub struct Field {
    /// The key (`arch`, `trap`, `calls`, ...).
    pub key: Ident,
    /// The value.
    pub value: FieldValue,
}

#[derive(Clone)]
/// The value of a field, by its shape.
pub enum FieldValue {
    /// `arch: aarch64`, `number: x16`
    Ident(Ident),
    /// `trap: hvc(0xEA1)`, `unknown: error(ENOSYS)`
    Call(Ident, Vec<Expr>),
    /// `args: [x0, x1]`
    List(Vec<Ident>),
    /// `number: { eid: a7, fid: a6 }`, `registers: { x16: clobbered }`, `narrow: { bits: 32 }`
    Map(Vec<(Ident, Ident)>),
    /// `errors: { EPERM = -1 }`
    Consts(Vec<Const>),
    /// `calls: { ... }`
    Calls(Vec<CallDef>),
    /// `revision: "1.1"`
    Str(LitStr),
    /// `structs: { name { field: u32, #[out] other: [u8; 16] } ... }`
    Structs(Vec<StructAst>),
}

#[derive(Clone)]
/// One parameter struct: `[attrs] name { [attrs] field: type, ... }`.
pub struct StructAst {
    /// Doc comments and `#[source]`.
    pub attrs: Vec<Attribute>,
    /// The C name.
    pub ident: Ident,
    /// The fields, in order.
    pub fields: Vec<FieldAst>,
}

#[derive(Clone)]
/// One struct field: `[#[out] | #[inout] | #[reserved]] name: type` or `name: [type; N]`.
pub struct FieldAst {
    /// `#[out]`, `#[inout]`, `#[reserved]` and doc comments.
    pub attrs: Vec<Attribute>,
    /// The field name.
    pub ident: Ident,
    /// The element type.
    pub ty: Ident,
    /// `[T; N]`: the element count expression.
    pub count: Option<Expr>,
}

#[derive(Clone)]
/// `[attrs] NAME = expr`: an error code or an enumerated value (a sub-operation when the
/// attributes say so).
pub struct Const {
    /// Its attributes (a sub-operation's `#[query]`, `#[param(..)]`, doc comments).
    pub attrs: Vec<Attribute>,
    /// The name.
    pub ident: Ident,
    /// The value expression.
    pub value: Expr,
}

#[derive(Clone)]
/// One call: `[attrs] name = number (args) -> (results) [errors { ... }]`.
pub struct CallDef {
    /// Its attributes (doc comments, `#[source]`, `#[presence]`, ...).
    pub attrs: Vec<Attribute>,
    /// The call name.
    pub ident: Ident,
    /// `= 18` or `= (0x10, 3)`
    pub number: Vec<Expr>,
    /// Where the number is written.
    pub number_span: Span,
    /// The arguments.
    pub args: Vec<ParamDef>,
    /// Where the argument list is written.
    pub args_span: Span,
    /// The results.
    pub results: Vec<ParamDef>,
    /// Where the result list is written.
    pub results_span: Span,
    /// The error codes it may return, by name.
    pub errors: Vec<Ident>,
}

/// `name [@ reg]: domain`
#[derive(Clone)]
pub struct ParamDef {
    /// The parameter name.
    pub ident: Ident,
    /// The register, when given with `@`.
    pub reg: Option<Ident>,
    /// Its domain.
    pub domain: DomainDef,
}

#[derive(Clone)]
/// A domain as written: its kind and what follows it.
pub struct DomainDef {
    /// `any`, `range`, `enum`, `mbz`, `bits`, `ptr`.
    pub kind: Ident,
    /// What follows the kind.
    pub body: DomainBody,
}

#[derive(Clone)]
/// What follows a domain kind.
pub enum DomainBody {
    /// Nothing (`any`, `mbz`).
    None,
    /// `range(0..=10)`, `bits(0xff)`, `ptr(align = 8, nullable)`
    Args(Vec<Expr>),
    /// `enum { A = 0, B = 1 }`
    Enum(Vec<Const>),
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut abis = Vec::new();
        while !input.is_empty() {
            abis.push(input.parse()?);
        }
        Ok(Input { abis })
    }
}

mod kw {
    syn::custom_keyword!(abi);
}

impl Parse for AbiDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        input.parse::<kw::abi>()?;
        let ident = input.parse()?;
        let head;
        parenthesized!(head in input);
        let id = head.parse()?;
        let title = if head.parse::<Option<Token![,]>>()?.is_some() && !head.is_empty() {
            Some(head.parse()?)
        } else {
            None
        };
        let base = if input.parse::<Option<Token![:]>>()?.is_some() {
            Some(input.parse()?)
        } else {
            None
        };
        let body;
        braced!(body in input);
        let mut fields = Vec::new();
        while !body.is_empty() {
            let key: Ident = body.parse()?;
            body.parse::<Token![:]>()?;
            let value = parse_field_value(&key, &body)?;
            fields.push(Field { key, value });
            if body.is_empty() {
                break;
            }
            body.parse::<Token![,]>()?;
        }
        Ok(AbiDef {
            attrs,
            vis,
            ident,
            id,
            title,
            base,
            fields,
        })
    }
}

fn parse_field_value(key: &Ident, input: ParseStream) -> syn::Result<FieldValue> {
    if input.peek(LitStr) {
        return Ok(FieldValue::Str(input.parse()?));
    }
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let items = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
        return Ok(FieldValue::List(items.into_iter().collect()));
    }
    if input.peek(syn::token::Brace) {
        let content;
        braced!(content in input);
        return match key.to_string().as_str() {
            "calls" => {
                let mut calls = Vec::new();
                while !content.is_empty() {
                    calls.push(content.parse()?);
                }
                Ok(FieldValue::Calls(calls))
            }
            "errors" => Ok(FieldValue::Consts(parse_consts(&content)?)),
            "structs" => {
                let mut structs = Vec::new();
                while !content.is_empty() {
                    structs.push(parse_struct(&content)?);
                }
                Ok(FieldValue::Structs(structs))
            }
            _ => {
                let mut pairs = Vec::new();
                while !content.is_empty() {
                    let k: Ident = content.call(Ident::parse_any_ident)?;
                    content.parse::<Token![:]>()?;
                    let v: Ident = content.call(Ident::parse_any_ident)?;
                    pairs.push((k, v));
                    if content.is_empty() {
                        break;
                    }
                    content.parse::<Token![,]>()?;
                }
                Ok(FieldValue::Map(pairs))
            }
        };
    }
    let ident: Ident = input.call(Ident::parse_any_ident)?;
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let args = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
        return Ok(FieldValue::Call(ident, args.into_iter().collect()));
    }
    Ok(FieldValue::Ident(ident))
}

fn parse_struct(input: ParseStream) -> syn::Result<StructAst> {
    let attrs = input.call(Attribute::parse_outer)?;
    let ident: Ident = input.parse()?;
    let body;
    braced!(body in input);
    let mut fields = Vec::new();
    while !body.is_empty() {
        let attrs = body.call(Attribute::parse_outer)?;
        let ident: Ident = body.call(Ident::parse_any_ident)?;
        body.parse::<Token![:]>()?;
        let (ty, count) = if body.peek(syn::token::Bracket) {
            let inner;
            bracketed!(inner in body);
            let ty = inner.call(Ident::parse_any_ident)?;
            inner.parse::<Token![;]>()?;
            (ty, Some(inner.parse()?))
        } else {
            (body.call(Ident::parse_any_ident)?, None)
        };
        fields.push(FieldAst {
            attrs,
            ident,
            ty,
            count,
        });
        if body.is_empty() {
            break;
        }
        body.parse::<Token![,]>()?;
    }
    Ok(StructAst {
        attrs,
        ident,
        fields,
    })
}

fn parse_consts(input: ParseStream) -> syn::Result<Vec<Const>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(Attribute::parse_outer)?;
        let ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        out.push(Const {
            attrs,
            ident,
            value,
        });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

trait ParseAny {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident>;
}
impl ParseAny for Ident {
    /// Accepts keywords too (`enum`, `ptr`, `none`), which the DSL uses as words.
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident> {
        use syn::ext::IdentExt;
        Ident::parse_any(input)
    }
}

impl Parse for CallDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let ident: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let number_span = input.span();
        let number = if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            Punctuated::<Expr, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect()
        } else {
            vec![parse_number_expr(input)?]
        };
        let args_span = input.span();
        let args = parse_params(input)?;
        let (results, results_span) = if input.parse::<Option<Token![->]>>()?.is_some() {
            let span = input.span();
            (parse_params(input)?, span)
        } else {
            (Vec::new(), input.span())
        };
        let mut errors = Vec::new();
        if input.peek(Ident) && input.fork().parse::<Ident>()? == "errors" {
            input.parse::<Ident>()?;
            let content;
            bracketed!(content in input);
            errors = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect();
        }
        input.parse::<Token![;]>()?;
        Ok(CallDef {
            attrs,
            ident,
            number,
            number_span,
            args,
            args_span,
            results,
            results_span,
            errors,
        })
    }
}

/// A call number: an integer literal, possibly negative, or a constant path like `u32::MAX`.
fn parse_number_expr(input: ParseStream) -> syn::Result<Expr> {
    if input.peek(Token![-]) {
        let neg: Token![-] = input.parse()?;
        let lit: syn::Lit = input.parse()?;
        return Ok(syn::parse_quote_spanned!(neg.span=> -#lit));
    }
    if input.peek(syn::Lit) {
        return Ok(Expr::Lit(input.parse()?));
    }
    Ok(Expr::Path(input.parse()?))
}

fn parse_params(input: ParseStream) -> syn::Result<Vec<ParamDef>> {
    let content;
    parenthesized!(content in input);
    let mut out = Vec::new();
    while !content.is_empty() {
        let ident: Ident = content.call(Ident::parse_any_ident)?;
        let reg = if content.parse::<Option<Token![@]>>()?.is_some() {
            Some(content.call(Ident::parse_any_ident)?)
        } else {
            None
        };
        content.parse::<Token![:]>()?;
        let domain = content.parse()?;
        out.push(ParamDef { ident, reg, domain });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(out)
}

impl Parse for DomainDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let kind: Ident = input.call(Ident::parse_any_ident)?;
        let body = if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            DomainBody::Args(
                Punctuated::<Expr, Token![,]>::parse_terminated(&content)?
                    .into_iter()
                    .collect(),
            )
        } else if input.peek(syn::token::Brace) {
            let content;
            braced!(content in input);
            DomainBody::Enum(parse_consts(&content)?)
        } else {
            DomainBody::None
        };
        Ok(DomainDef { kind, body })
    }
}
